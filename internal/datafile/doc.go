// Package datafile reads a county's data file: the YAML file that
// holds one county's figures for one year, its manual scores and its bonus
// claims, with notes on which values are assumed. It reports every problem
// at its FILE:LINE, including the problems the scoring engine finds.
//
// It reads only the bytes it is handed; the CLI opens files.
package datafile
