// Package eval holds lvzhi's workflow domain: the kinds of error every layer
// speaks, and (as the workflow grows) counties, campaigns, submissions,
// roles and the transitions between states.
//
// It is the bottom of the import graph: it imports only the standard library
// and performs no I/O.
package eval
