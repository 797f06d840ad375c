package registry

import (
	"fmt"
	"strings"
)

// Severity tells whether a problem blocks saving (Error) or is shown to the
// operator who may still proceed (Warning).
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Problem is one finding of Validate, naming the field it is about.
//
// Message is English, for the command line, logs and API clients. Code and
// Args are what a program needs to say the same in another language: the
// back office looks "registry.<code>" up in its catalogue and fills in the
// named arguments, so the registry package itself stays free of wording
// other than English.
type Problem struct {
	Severity Severity `json:"severity"`
	// Field is a path into the registry such as "cookies[2].purpose.fr".
	Field string `json:"field"`
	// Code names the kind of problem, stably (codes.go lists them).
	Code Code `json:"code"`
	// Args are the values Message is made of, by name, each written as
	// Message writes it (strings quoted, numbers in digits).
	Args    map[string]string `json:"args,omitempty"`
	Message string            `json:"message"`
	// Line is the line in the imported YAML file, when known.
	Line int `json:"line,omitempty"`
}

// NewProblem makes a problem of code at field. format is its English
// message in fmt's syntax and args are pairs of argument name and value,
// one pair for each verb of format, in order: each value fills its verb in
// Message and is kept, formatted by the same verb, under its name in Args.
// Packages that check a registry further (services' expansion) report with
// it, so their problems carry codes too.
func NewProblem(severity Severity, field string, code Code, format string, args ...any) Problem {
	return described(code, format, args).problem(severity, field)
}

// description is a problem before it is placed: its code, English format
// and named arguments. It is also the error of CheckText and
// Lifetime.Parse, so a validator turns theirs into coded problems.
type description struct {
	code   Code
	format string
	names  []string
	values []any
}

func described(code Code, format string, args []any) *description {
	d := &description{code: code, format: format}
	for i := 0; i+1 < len(args); i += 2 {
		d.names = append(d.names, fmt.Sprint(args[i]))
		d.values = append(d.values, args[i+1])
	}
	return d
}

func (d *description) Error() string { return fmt.Sprintf(d.format, d.values...) }

func (d *description) problem(severity Severity, field string) Problem {
	p := Problem{Severity: severity, Field: field, Code: d.code, Message: d.Error()}
	verbs := verbsOf(d.format)
	for i, name := range d.names {
		if p.Args == nil {
			p.Args = map[string]string{}
		}
		verb := "%v"
		if i < len(verbs) {
			verb = verbs[i]
		}
		p.Args[name] = fmt.Sprintf(verb, d.values[i])
	}
	return p
}

// verbsOf lists the verbs of a fmt format in order, each with its flags and
// width ("%q", "%04X"); "%%" is no verb.
func verbsOf(format string) []string {
	var verbs []string
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("+-# 0123456789.", format[j]) >= 0 {
			j++
		}
		if j < len(format) && format[j] != '%' {
			verbs = append(verbs, format[i:j+1])
		}
		i = j
	}
	return verbs
}

func (p Problem) String() string {
	loc := p.Field
	if p.Line > 0 {
		loc = fmt.Sprintf("line %d: %s", p.Line, p.Field)
	}
	return fmt.Sprintf("%s: %s: %s", p.Severity, loc, p.Message)
}

// Problems is the result of Validate.
type Problems []Problem

// Err returns an error listing the problems of Error severity, or nil.
func (ps Problems) Err() error {
	var errs Problems
	for _, p := range ps {
		if p.Severity == Error {
			errs = append(errs, p)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Problems: errs}
}

// Warnings returns the problems of Warning severity.
func (ps Problems) Warnings() Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity == Warning {
			out = append(out, p)
		}
	}
	return out
}

// ValidationError is a registry that cannot be saved.
type ValidationError struct{ Problems Problems }

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return "invalid registry:\n  " + strings.Join(lines, "\n  ")
}
