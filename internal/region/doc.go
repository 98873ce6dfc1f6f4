// Package region holds China's administrative divisions (province → city →
// county, GB/T 2260 codes) and reads them from a small CSV format
// ("code,name,parent"), both the list embedded in the binary and files an
// office imports.
//
// Codes are kept in their short form: 2 digits for a province ("33"), 4 for
// a prefecture-level city ("3305"), 6 for a county-level unit ("330502"), so
// that a region's subtree is exactly the codes that start with its code. The
// package reads only the bytes it is given and the embedded list; it never
// touches files or the database.
package region
