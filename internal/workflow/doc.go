// Package workflow holds the rules of the yearly evaluation as pure data and
// functions: roles, submission states and the transitions between them,
// campaign stages, region scope, the final score of a point, the credibility
// of a self-assessment, reproducible sampling for on-site checks, problem
// lists and their carry-over, and the objection window.
//
// It decides whether something is allowed and computes what follows from
// it; it never reads or writes anything. The store persists what it
// decides, and internal/app joins the two inside one transaction. It imports
// only the standard library and the domain packages below it (eval,
// framework, scoring, region).
package workflow
