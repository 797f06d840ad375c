package scan

import (
	"fmt"
	"io"
	"strings"
)

// ProgressBar returns a Progress callback drawing one line on w, redrawn in
// place with a carriage return: for a terminal only (the CLI checks), since a
// log file would get every frame.
func ProgressBar(w io.Writer, lang string) func(Progress) {
	const width = 24
	return func(p Progress) {
		total := max(p.Total, p.Done, 1)
		// Each pass is a third of the bar.
		frac := (float64(p.PassIndex) + float64(p.Done)/float64(total)) / float64(len(Passes))
		n := min(int(frac*width+0.5), width)
		fmt.Fprintf(w, "\r[%s%s] %3.0f%%  %-28s %d/%d\x1b[K", strings.Repeat("#", n), strings.Repeat(".", width-n),
			frac*100, T(lang, "pass-"+p.Pass), p.Done, total)
		if p.PassIndex == len(Passes)-1 && p.Done >= total {
			fmt.Fprintln(w)
		}
	}
}
