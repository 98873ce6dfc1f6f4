package region

import (
	"errors"
	"strings"
	"testing"

	"lvzhi/internal/eval"
)

func TestParseGood(t *testing.T) {
	src := "\uFEFF# 测试\ncode,name,parent\n99,测试省,\n990100,测试市,99\n990101,甲区,9901\n\n990102 , 乙县 , 990100\n"
	rows, err := Parse("t.csv", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Region{{"99", "测试省", ""}, {"9901", "测试市", "99"}, {"990101", "甲区", "9901"}, {"990102", "乙县", "9901"}}
	if len(rows) != len(want) {
		t.Fatalf("rows = %v", rows)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d = %v, want %v", i, rows[i], want[i])
		}
	}
}

func TestParseOnChina(t *testing.T) {
	// A rename of an existing county and a new county under Huzhou.
	src := "330502,吴兴区（新）,3305\n330599,新设县,3305\n"
	rows, err := Parse("add.csv", []byte(src), China())
	if err != nil {
		t.Fatal(err)
	}
	s := China().With(rows)
	if r, _ := s.Get("330502"); r.Name != "吴兴区（新）" {
		t.Errorf("rename lost: %v", r)
	}
	if n := len(s.Children("3305")); n != 6 {
		t.Errorf("Huzhou has %d counties after import, want 6", n)
	}
	if r, _ := China().Get("330502"); r.Name != "吴兴区" {
		t.Errorf("With changed the embedded set: %v", r)
	}
}

func TestParseBad(t *testing.T) {
	tests := []struct {
		name, src string
		base      *Set
		want      []string // "line: fragment"
	}{
		{"empty", "", nil, []string{"1: 没有地区"}},
		{"only header", "code,name,parent\n", nil, []string{"1: 没有地区"}},
		{"columns", "99,测试省\n", nil, []string{"1: 应有 3 列"}},
		{"bad code", "9x,测试省,\n", nil, []string{"1: 只能由数字组成"}},
		{"code length", "995,测试,99\n", nil, []string{"1: 应为 2 位"}},
		{"no name", "99,,\n", nil, []string{"1: 缺少名称"}},
		{"long name", "99," + strings.Repeat("长", 41) + ",\n", nil, []string{"1: 超过 40 个字"}},
		{"control", "99,测\x01试,\n", nil, []string{"1: 控制字符"}},
		{"province with parent", "99,测试省,98\n", nil, []string{"1: 不应有上级代码"}},
		{"city under wrong province", "99,测试省,\n9801,测试市,99\n", nil, []string{"2: 上级应为省级代码 98"}},
		{"county under wrong city", "99,测试省,\n9901,测试市,99\n990201,甲区,9901\n", nil, []string{"3: 上级应为 9902"}},
		{"missing parent", "9901,测试市,99\n", nil, []string{"1: 上级代码 99 不存在"}},
		{"parent later", "9901,测试市,99\n99,测试省,\n", nil, []string{"1: 上级代码 99 不存在"}},
		{"duplicate", "99,测试省,\n99,测试省,\n", nil, []string{"2: 重复（第 1 行已有）"}},
		{"move", "330502,吴兴区,33\n", China(), []string{"1: 不能改为 33"}},
		{"quote", "99,\"测试省,\n", nil, []string{"1: CSV 格式错误"}},
		{"not utf8", "99,测试省,\n98,\xff\xfe,\n", nil, []string{"2: 不是 UTF-8"}},
		{"several", "99,测试省,\nxx,a,\n9901,,99\n9902,乙市,98\n", nil, []string{"2: 只能由数字组成", "3: 缺少名称", "4: 上级应为省级代码 99"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := Parse("bad.csv", []byte(tt.src), tt.base)
			if err == nil {
				t.Fatalf("no error, rows %v", rows)
			}
			if rows != nil {
				t.Errorf("rows returned with an error: %v", rows)
			}
			if !errors.Is(err, eval.ErrInvalid) {
				t.Errorf("error is not ErrInvalid: %v", err)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error is %T", err)
			}
			if len(e.Problems) != len(tt.want) {
				t.Fatalf("problems:\n%v\nwant %v", err, tt.want)
			}
			for i, w := range tt.want {
				line, frag, _ := strings.Cut(w, ": ")
				got := e.Problems[i].String()
				if !strings.HasPrefix(got, "bad.csv:"+line+": ") || !strings.Contains(got, frag) {
					t.Errorf("problem %d = %q, want line %s with %q", i, got, line, frag)
				}
			}
		})
	}
}

func TestParseProblemLimit(t *testing.T) {
	src := strings.Repeat("xx,a,\n", 200)
	_, err := Parse("many.csv", []byte(src), nil)
	var e *Error
	if !errors.As(err, &e) || len(e.Problems) != maxProblems {
		t.Fatalf("got %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("code,name,parent\n99,测试省,\n9901,测试市,99\n990101,甲区,9901\n"))
	f.Add([]byte("330502,吴兴区,3305\n"))
	f.Add([]byte("99,\"a\"\"b\",\n"))
	f.Add(ChinaSource()[:400])
	f.Fuzz(func(t *testing.T, src []byte) {
		rows, err := Parse("fuzz.csv", src, China())
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || len(e.Problems) == 0 || rows != nil {
				t.Fatalf("bad error %T %v rows=%v", err, err, rows)
			}
			for _, p := range e.Problems {
				if p.Line < 1 {
					t.Fatalf("line %d", p.Line)
				}
			}
			return
		}
		// Every accepted row must be consistent once added.
		s := China().With(rows)
		for _, r := range rows {
			if LevelOf(r.Code) == 0 {
				t.Fatalf("bad code %q", r.Code)
			}
			if r.Parent != "" {
				if _, ok := s.Get(r.Parent); !ok || !Contains(r.Parent, r.Code) {
					t.Fatalf("row %v has a bad parent", r)
				}
			}
		}
	})
}
