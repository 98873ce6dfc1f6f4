package store

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// encodeStringMap must read back as exactly the map it wrote, for any text.
func TestEncodeStringMapRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		m    map[string]string
	}{
		{"empty", map[string]string{}},
		{"numbers", map[string]string{"b": "80.91", "a": "-3", "c": "0.5125"}},
		{"quotes and backslashes", map[string]string{`k"1`: `va\lue"`, "x": `\\`}},
		{"control characters", map[string]string{"tab\t": "line\nbreak\r\x00\x1f"}},
		{"chinese and html", map[string]string{"学生数": "<1200>&", "说明": "已落实\u2028"}},
		{"invalid utf-8", map[string]string{"bad": "\xff\xfe ok"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := encodeStringMap(tc.m)
			var back map[string]string
			if err := json.Unmarshal([]byte(text), &back); err != nil {
				t.Fatalf("encodeStringMap(%q) = %s, not JSON: %v", tc.m, text, err)
			}
			// Invalid UTF-8 is replaced exactly as encoding/json does.
			want := map[string]string{}
			std, _ := json.Marshal(tc.m)
			json.Unmarshal(std, &want)
			if diff := cmp.Diff(want, back); diff != "" {
				t.Errorf("encodeStringMap round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzEncodeStringMap(f *testing.F) {
	f.Add("a", "1")
	f.Add("\"\\", "\x00\n\xff")
	f.Fuzz(func(t *testing.T, k, v string) {
		m := map[string]string{k: v, "z" + k: v + v}
		var back, want map[string]string
		if err := json.Unmarshal([]byte(encodeStringMap(m)), &back); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		std, _ := json.Marshal(m)
		json.Unmarshal(std, &want)
		if diff := cmp.Diff(want, back); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})
}

// decodeStringMap reads what encodeStringMap and encoding/json write.
func TestDecodeStringMap(t *testing.T) {
	maps := []map[string]string{
		{},
		{"a": "1"},
		{"学生数": "1200", `q"uote`: `back\slash`, "nl": "a\nb\tc\r", "ctl": "\x01", "slash": "a/b", "html": "<&>"},
	}
	for _, m := range maps {
		std, _ := json.Marshal(m)
		for _, text := range []string{encodeStringMap(m), string(std)} {
			got, err := decodeStringMap(text)
			if err != nil {
				t.Fatalf("decodeStringMap(%s): %v", text, err)
			}
			if diff := cmp.Diff(m, got); diff != "" {
				t.Errorf("decodeStringMap(%s) mismatch (-want +got):\n%s", text, diff)
			}
		}
	}
	for _, bad := range []string{"{", `{"a":1}`, `{"a":"b",}`, `["a"]`, `{"a" "b"}`} {
		if _, err := decodeStringMap(bad); err == nil {
			t.Errorf("decodeStringMap(%q) succeeded, want an error", bad)
		}
	}
}

// The fast path agrees with encoding/json on any text it accepts.
func FuzzScanStringMap(f *testing.F) {
	f.Add(`{"a":"b","c":"d"}`)
	f.Add(`{"a\"":"\\n\u0041"}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, text string) {
		fast, ok := scanStringMap(text)
		if !ok {
			return
		}
		var want map[string]string
		if err := json.Unmarshal([]byte(text), &want); err != nil {
			t.Fatalf("scanStringMap accepted %q, encoding/json refuses it: %v", text, err)
		}
		if diff := cmp.Diff(want, fast); diff != "" {
			t.Errorf("scanStringMap(%q) mismatch (-json +fast):\n%s", text, diff)
		}
	})
}
