package admin

// ScanMessages lets the external tests check the scan pages' catalog.
var ScanMessages = scanMessages
