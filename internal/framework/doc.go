// Package framework is the indicator framework as data: what a province
// office publishes each year (data items, validation rules, areas and
// evaluation points with their scoring rules, bonus items, grade bands and
// downgrade rules), read from YAML, checked ("lint") and compiled.
//
// It also owns lvzhi's exact number types (Points, Decimal) and the one
// rounding rule. It performs no I/O beyond reading the fs.FS it is handed,
// does not read the clock, and does not evaluate a county: that is package
// scoring's job.
package framework
