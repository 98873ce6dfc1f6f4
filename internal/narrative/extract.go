package narrative

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxClaims is the most claims Extract and Check read from one text. A
// report has a few hundred; the cap keeps memory bounded on pathological
// input, which is then reported as truncated.
const MaxClaims = 200_000

// Limits on how far the scanner looks around a number. They keep the work
// per number constant, so that a scan is linear in the text.
const (
	maxLeadRunes  = 24 // words before a number
	maxAfterRunes = 8  // words after a number
)

// sentence is a byte range ending at 。！？；or a line end.
type sentence struct {
	start, end int
}

// extraction is what one scan of a text yields.
type extraction struct {
	text      string
	claims    []Claim
	sentences []sentence
	truncated bool
}

// Extract returns every numeric claim in text, in order. Years, dates,
// document numbers (〔2020〕30号), ordinals and ranks (第一名, 第四届), list
// numbering (一是, 1.) and codes are not claims. Numbers inside quotation
// marks or book-title marks (《…》) are names, not claims. Text that is not
// valid UTF-8 is read with the bad bytes as separators.
//
// Extract does not know the framework, so Item is empty; ExtractWith fills
// it in.
func Extract(text string) []Claim {
	return extract(text).claims
}

// ExtractWith is Extract that also names each claim's framework item from
// the facts' item names and aliases, and lets a claim whose words say
// nothing ("…提升3个百分点，达80.91%") take the quantity of the change
// before it. facts may be nil.
func ExtractWith(text string, facts *Facts) []Claim {
	claims := extract(text).claims
	resolve(claims, facts)
	return claims
}

// scanner walks a text once, rune by rune.
type scanner struct {
	s    string
	i    int // byte offset of the next rune
	line int
	col  int // column of the next rune, 1-based, in runes

	lineStart bool // only spaces since the start of the line
	afterStop bool // the last non-space rune ended a sentence or clause head
	quote     int  // depth of “” 「」 『』
	title     int  // depth of 《》
	depth     int  // depth of （） () 〔〕 [] 【】

	partDepth    int // depth at which the current 其中 list started, -1 if none
	partGroup    int
	containDepth int // depth of the current （含…）, -1 if none

	sentence      int
	sentenceStart int
	sentenceYear  int
	prevEnd       int  // end of the last number token (claim or not)
	fromPending   bool // saw 从 or 由: the next claim is where a change starts
	fromClaimed   bool
	toPending     bool // saw 到 or 至 after a starting claim

	out extraction
}

func extract(text string) extraction {
	sc := &scanner{s: text, line: 1, col: 1, lineStart: true, afterStop: true, partDepth: -1, containDepth: -1}
	sc.out.text = text
	// A report has about one figure per 100 bytes.
	sc.out.claims = make([]Claim, 0, min(len(text)/100+8, MaxClaims))
	sc.run()
	return sc.out
}

func (sc *scanner) run() {
	s := sc.s
	for sc.i < len(s) {
		if len(sc.out.claims) >= MaxClaims {
			sc.out.truncated = true
			break
		}
		r, size := utf8.DecodeRuneInString(s[sc.i:])
		if _, ok := arabicDigit(r); ok {
			sc.number(false)
			continue
		}
		if strings.HasPrefix(s[sc.i:], "百分之") {
			if sc.number(true) {
				continue
			}
		}
		if _, ok := chineseDigit(r); ok || r == '十' {
			if sc.number(false) {
				continue
			}
		}
		sc.punctuation(r)
		sc.advance(r, size)
	}
	sc.endSentence(len(s))
}

// advance moves past one rune that is not part of a number.
func (sc *scanner) advance(r rune, size int) {
	sc.i += size
	if r == '\n' {
		sc.line++
		sc.col = 1
		sc.lineStart, sc.afterStop = true, true
		return
	}
	sc.col++
	if r == ' ' || r == '\t' || r == '\r' || r == '\u3000' || r == '\u00a0' {
		return
	}
	sc.lineStart = false
	sc.afterStop = isStop(r)
}

func isStop(r rune) bool {
	switch r {
	case '。', '；', '：', '！', '？', ';', ':', '!', '?':
		return true
	}
	return false
}

// punctuation updates the bracket, quote, list and sentence state for a
// rune that is not part of a number.
func (sc *scanner) punctuation(r rune) {
	switch r {
	case '“', '「', '『':
		sc.quote++
	case '”', '」', '』':
		if sc.quote > 0 {
			sc.quote--
		}
	case '《':
		sc.title++
	case '》':
		if sc.title > 0 {
			sc.title--
		}
	case '（', '(', '〔', '[', '【':
		sc.depth++
		if strings.HasPrefix(sc.s[sc.i+utf8.RuneLen(r):], "含") {
			sc.containDepth = sc.depth
		}
	case '）', ')', '〕', ']', '】':
		if sc.depth == sc.containDepth {
			sc.containDepth = -1
		}
		if sc.depth == sc.partDepth {
			sc.partDepth = -1
		}
		if sc.depth > 0 {
			sc.depth--
		}
	case '其':
		if strings.HasPrefix(sc.s[sc.i:], "其中") && sc.quote == 0 && sc.title == 0 {
			sc.partGroup++
			sc.partDepth = sc.depth
		}
	case '从', '由':
		if !strings.HasPrefix(sc.s[sc.i+len("由"):], "于") {
			sc.fromPending = true
		}
	case '到', '至':
		if sc.fromClaimed {
			sc.toPending = true
		}
	case '。', '！', '？', '；', '!', '?', ';', '\n':
		sc.endSentence(sc.i + utf8.RuneLen(r))
	}
}

// endSentence closes the current sentence at byte end.
func (sc *scanner) endSentence(end int) {
	if end > sc.sentenceStart {
		sc.out.sentences = append(sc.out.sentences, sentence{sc.sentenceStart, end})
		sc.sentence++
	}
	sc.sentenceStart = end
	sc.sentenceYear = 0
	sc.partDepth = -1
	sc.fromPending, sc.fromClaimed, sc.toPending = false, false, false
	if end < len(sc.s) && sc.s[end-1] == '\n' {
		// Brackets and quotes do not run across lines in a report; a
		// missing closer must not swallow the rest of the text.
		sc.depth, sc.quote, sc.title, sc.containDepth = 0, 0, 0, -1
	}
}

// token is a number as read, before it is judged a claim or not.
type token struct {
	start, end int // byte span of the digits (or numeral)
	value      Number
	integer    bool // written without a decimal point or scale
	digits     int  // digits before the decimal point
	grouped    bool // 1,234
	chinese    bool
	percentPre bool // 百分之…
	overflow   bool
}

// number reads the number at sc.i and records a claim when it is one. It
// returns false (and consumes nothing) when a Chinese numeral turns out not
// to be a number, so the caller treats the rune as text.
func (sc *scanner) number(percentPrefix bool) bool {
	start := sc.i
	pos := start
	if percentPrefix {
		pos += len("百分之")
	}
	tok, ok := readNumber(sc.s, pos)
	if !ok {
		return false
	}
	tok.start = start
	tok.percentPre = percentPrefix
	if tok.chinese && !percentPrefix && !chineseCounts(sc.s, tok) {
		return false
	}
	startLine, startCol, lineStart, afterStop := sc.line, sc.col, sc.lineStart, sc.afterStop
	end := sc.judge(tok, lineStart, afterStop, startLine, startCol)
	sc.moveTo(end)
	sc.prevEnd = end
	return true
}

// moveTo advances the position to byte end, counting lines and columns.
// Numbers never contain a line break, but a claim's suffix is plain text.
func (sc *scanner) moveTo(end int) {
	for sc.i < end {
		r, size := utf8.DecodeRuneInString(sc.s[sc.i:])
		sc.punctuation(r)
		sc.advance(r, size)
	}
}

// readNumber reads an Arabic number (with , groups, a decimal point,
// full-width digits) or a Chinese numeral at pos.
func readNumber(s string, pos int) (token, bool) {
	r, _ := utf8.DecodeRuneInString(s[pos:])
	if _, ok := arabicDigit(r); ok {
		return readArabic(s, pos), true
	}
	return readChinese(s, pos)
}

func readArabic(s string, pos int) token {
	t := token{integer: true}
	i := pos
	var m int64
	exp := 0
	inFrac := false
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if d, ok := arabicDigit(r); ok {
			if m > maxMantissa {
				t.overflow = true
				if !inFrac {
					exp++
				}
			} else {
				m = m*10 + d
				if inFrac {
					exp--
				}
			}
			if !inFrac {
				t.digits++
			}
			i += size
			continue
		}
		if (r == '.' || r == '．') && !inFrac && nextIsDigit(s, i+size) {
			inFrac = true
			t.integer = false
			i += size
			continue
		}
		if r == ',' && !inFrac && groupOfThree(s, i+1) {
			t.grouped = true
			i++
			continue
		}
		break
	}
	t.end = i
	t.value = Number{Mant: m, Exp: exp}
	return t
}

// groupOfThree reports whether exactly three digits start at i.
func groupOfThree(s string, i int) bool {
	n := 0
	for i < len(s) && n < 4 {
		if s[i] < '0' || s[i] > '9' {
			break
		}
		i++
		n++
	}
	return n == 3
}

func nextIsDigit(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	_, ok := arabicDigit(r)
	return ok
}

func readChinese(s string, pos int) (token, bool) {
	i := pos
	for i < len(s) && i-pos < 3*32 {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isChineseNumeral(r) {
			i += size
			continue
		}
		if r == '点' {
			r2, _ := utf8.DecodeRuneInString(s[i+size:])
			if _, ok := chineseDigit(r2); ok {
				i += size
				continue
			}
		}
		break
	}
	raw := s[pos:i]
	// A numeral that is only scale characters (千万, 百) is a word.
	n, ok := parseChinese(raw)
	if !ok {
		return token{}, false
	}
	return token{end: i, value: n, integer: n.Exp == 0, chinese: true}, true
}

// chineseCounts reports whether a Chinese numeral is a count: it must be
// followed by a measure word, and a lone 一 ("一个", "一批") is an article,
// not a figure.
func chineseCounts(s string, t token) bool {
	raw := s[t.start:t.end]
	if raw == "一" {
		return false
	}
	_, _, ok := matchUnit(s[t.end:], true)
	return ok
}

// judge decides whether the token is a claim, records it if so, and
// returns where scanning resumes.
func (sc *scanner) judge(t token, lineStart, afterStop bool, line, col int) int {
	s := sc.s
	before, _ := utf8.DecodeLastRuneInString(s[:t.start])
	next, nextSize := utf8.DecodeRuneInString(s[t.end:])
	next2, _ := utf8.DecodeRuneInString(s[min(len(s), t.end+nextSize):])

	if sc.quote > 0 || sc.title > 0 {
		return t.end // a name: “三个增长”, 《规划(2013-2020)》
	}
	if t.overflow {
		return t.end
	}
	if before == '第' {
		return t.end // ordinal: 第一名, 第四届, 第2批
	}
	beforeWord := before
	if before == ' ' {
		// "GB/T 2260": a code after a space.
		beforeWord, _ = utf8.DecodeLastRuneInString(strings.TrimRight(s[:t.start], " "))
	}
	if !t.chinese && (isASCIILetter(before) || isASCIILetter(next) || isASCIILetter(beforeWord) || beforeWord == '/' ||
		before == '/' || before == '_' || before == '-' || next == '_') {
		return t.end // a code: A1.2, GB/T 2260, 5G
	}
	if !t.chinese && t.integer && !t.grouped && t.digits == 4 && t.value.Mant >= 1900 && t.value.Mant <= 2100 {
		switch {
		case next == '年' && next2 != '级':
			if !dateFollows(s, t.end+nextSize) {
				sc.sentenceYear = int(t.value.Mant)
			}
			return t.end
		case isDateSeparator(next) && nextIsDigit(s, t.end+nextSize):
			return skipDate(s, t.end)
		case isCloser(next) && isOpener(before):
			return t.end // 〔2020〕30号
		}
	}
	if t.integer && !t.percentPre {
		v := t.value.Mant
		switch {
		case next == '月' && v >= 1 && v <= 12 && before != '个':
			return t.end
		case (next == '日' || next == '号') && !strings.HasPrefix(s[t.end:], "日制"):
			return t.end
		case (next == ':' || next == '∶' || next == '：') && nextIsDigit(s, t.end+nextSize):
			return skipDate(s, t.end) // 8:30, 1∶1
		case (lineStart || afterStop) && v < 100 && (next == '.' || next == '．' || next == '、' || next == ')' || next == '）') && !nextIsDigit(s, t.end+nextSize):
			return t.end // list numbering: 1. 2、 3)
		case isOpener(before) && isCloser(next) && v < 100:
			return t.end // (1) （一）
		case t.chinese && next == '是':
			return t.end // 一是, 二是
		case t.chinese && (lineStart || afterStop) && next == '、':
			return t.end // 一、
		case strings.HasSuffix(s[:t.start], "前") && (next == '名' || next == '位'):
			return t.end // rank: 前三名
		}
	}
	if endsWithAny(s[:t.start], codeWords) {
		return t.end
	}
	return sc.claim(t, line, col)
}

var codeWords = []string{"代码", "编号", "电话", "邮编", "文号", "序号", "号码", "代码为", "编号为", "代码：", "编号：", "电话："}

func isASCIILetter(r rune) bool { return r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') }

func isOpener(r rune) bool {
	switch r {
	case '〔', '[', '【', '(', '（':
		return true
	}
	return false
}

func isCloser(r rune) bool {
	switch r {
	case '〕', ']', '】', ')', '）':
		return true
	}
	return false
}

func isDateSeparator(r rune) bool {
	switch r {
	case '-', '－', '—', '–', '~', '～', '/', '／', '.', '．':
		return true
	}
	return false
}

// dateFollows reports whether a month follows a year: 2020年8月.
func dateFollows(s string, i int) bool {
	n := 0
	for i < len(s) && n < 3 {
		r, size := utf8.DecodeRuneInString(s[i:])
		if _, ok := arabicDigit(r); ok {
			i += size
			n++
			continue
		}
		if _, ok := chineseDigit(r); ok || r == '十' {
			i += size
			n++
			continue
		}
		return n > 0 && r == '月'
	}
	return false
}

// skipDate skips a run of digits and date or time separators: 2020-08-24,
// 2013-2020, 8:30.
func skipDate(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if _, ok := arabicDigit(r); ok || isDateSeparator(r) || r == ':' || r == '∶' || r == '：' {
			i += size
			continue
		}
		break
	}
	return i
}

func endsWithAny(s string, words []string) bool {
	for _, w := range words {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

// units are the measure words a number may carry, longest first where one
// is a prefix of another. Scales (万, 亿) are read before the unit.
var units = []string{
	"平方公里", "平方米", "个百分点", "百分点", "人次", "周岁", "课时", "学时", "小时", "分钟", "公里",
	"个班", "万元", "元", "人", "所", "个", "名", "位", "班", "项", "次", "节", "台", "套", "家", "条", "份",
	"间", "门", "处", "起", "件", "批", "支", "册", "张", "辆", "座", "亩", "米", "天", "周", "年",
	"倍", "类", "种", "场", "期", "轮", "组", "分", "岁", "例", "本", "户",
}

// chineseUnits are the measure words after which a Chinese numeral counts
// as a figure. 年, 分, 级, 角 and the like are left out: 九年一贯制, 三角.
var chineseUnits = map[string]bool{
	"人次": true, "平方公里": true, "个百分点": true, "百分点": true, "个班": true, "万元": true,
	"元": true, "人": true, "所": true, "个": true, "名": true, "位": true, "项": true, "次": true,
	"家": true, "条": true, "台": true, "套": true, "份": true, "批": true, "间": true, "门": true,
	"处": true, "起": true, "件": true, "倍": true, "周岁": true, "岁": true, "例": true,
}

// matchUnit returns the unit at the start of s and its length in bytes.
func matchUnit(s string, chinese bool) (string, int, bool) {
	for _, u := range units {
		if strings.HasPrefix(s, u) {
			if u == "分" && (strings.HasPrefix(s, "分别") || strings.HasPrefix(s, "分之")) {
				continue
			}
			if chinese && !chineseUnits[u] {
				return "", 0, false
			}
			return u, len(u), true
		}
	}
	return "", 0, false
}

// claim reads the suffix (scale, unit, markers) and the leading words of a
// number and records it.
func (sc *scanner) claim(t token, line, col int) int {
	s := sc.s
	c := Claim{Value: t.value, Line: line, Column: col, Start: t.start}
	i := t.end
	scale := 0
	written := ""
	readApprox := func() {
		switch {
		case strings.HasPrefix(s[i:], "余"):
			c.Approx = Over
			i += len("余")
		case strings.HasPrefix(s[i:], "多"):
			c.Approx = Over
			i += len("多")
		}
	}
	readApprox()
	if !t.chinese {
		switch {
		case strings.HasPrefix(s[i:], "万亿"):
			scale, written, i = 12, "万亿", i+len("万亿")
		case strings.HasPrefix(s[i:], "亿"):
			scale, written, i = 8, "亿", i+len("亿")
		case strings.HasPrefix(s[i:], "万"):
			scale, written, i = 4, "万", i+len("万")
		}
		if scale > 0 && c.Approx == Exact {
			readApprox()
		}
	}
	switch {
	case t.percentPre:
		c.Percent, c.Unit = true, "%"
	case strings.HasPrefix(s[i:], "%"):
		c.Percent, c.Unit, written, i = true, "%", written+"%", i+1
	case strings.HasPrefix(s[i:], "％"):
		c.Percent, c.Unit, written, i = true, "%", written+"％", i+len("％")
	default:
		if u, n, ok := matchUnit(s[i:], false); ok {
			written += u
			i += n
			switch u {
			case "个百分点", "百分点":
				c.Points, c.Unit = true, "%"
			case "个班":
				c.Unit = "班"
			case "万元":
				c.Unit = "元"
				scale += 4
			default:
				c.Unit = u
			}
		}
	}
	c.Written = written
	c.Value.Exp += scale
	if c.Approx == Exact && c.Unit != "" {
		readApprox() // 5人多 is rare, but 3小时多 is not
	}
	// Markers after the unit.
	for _, m := range suffixMarkers {
		if strings.HasPrefix(s[i:], m.text) {
			i += len(m.text)
			if m.bound != BoundNone {
				c.Bound = m.bound
			}
			if m.approx != Exact {
				c.Approx = m.approx
			}
			break
		}
	}
	c.End = i
	c.Text = s[t.start:i]
	c.sentence = sc.sentence
	c.depth = sc.depth
	c.Year = sc.sentenceYear
	c.Part = sc.partDepth >= 0 && sc.depth == sc.partDepth
	if c.Part {
		c.partGroup = sc.partGroup
	}
	c.Contained = sc.containDepth >= 0 && sc.depth >= sc.containDepth
	switch {
	case sc.fromPending:
		c.fromMark, sc.fromPending, sc.fromClaimed = true, false, true
	case sc.toPending:
		c.toMark, sc.toPending = true, false
	}
	c.prev = max(sc.prevEnd, sc.sentenceStart)
	sc.lead(&c)
	c.After = afterWords(s, i)
	sc.out.claims = append(sc.out.claims, c)
	return i
}

type marker struct {
	text   string
	bound  Bound
	approx Approx
}

var suffixMarkers = []marker{
	{"及以下", BoundMax, Exact}, {"以下", BoundMax, Exact}, {"以内", BoundMax, Exact},
	{"及以上", BoundMin, Exact}, {"以上", BoundMin, Exact},
	{"左右", BoundNone, About}, {"上下", BoundNone, About},
}

// afterWords returns the few word characters right after byte i.
func afterWords(s string, i int) string {
	start, n := i, 0
	for i < len(s) && n < maxAfterRunes {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			break
		}
		i += size
		n++
	}
	return s[start:i]
}

func isWordRune(r rune) bool {
	return unicode.Is(unicode.Han, r) || isASCIILetter(r)
}

// lead reads the words before the claim (back to the previous number or the
// start of the clause) into Quantity and the flags.
func (sc *scanner) lead(c *Claim) {
	s := sc.s
	j, n := c.Start, 0
	for j > c.prev && n < maxLeadRunes {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		if !isWordRune(r) {
			break
		}
		j -= size
		n++
	}
	words := s[j:c.Start]
	words = strings.TrimSuffix(words, "百分之")
	c.Quantity = sc.trimLead(c, words)
}

// Words removed from the end of the leading words, longest first; each may
// set a flag.
var trailingWords = []marker{
	{"不超过", BoundMax, Exact}, {"不高于", BoundMax, Exact}, {"不多于", BoundMax, Exact}, {"不大于", BoundMax, Exact},
	{"最多", BoundMax, Exact}, {"至多", BoundMax, Exact},
	{"不少于", BoundMin, Exact}, {"不低于", BoundMin, Exact}, {"不小于", BoundMin, Exact}, {"至少", BoundMin, Exact},
	{"超过", BoundMin, Exact}, {"高于", BoundMin, Exact}, {"多于", BoundMin, Exact}, {"逾", BoundMin, Exact},
	{"将近", BoundNone, Near}, {"接近", BoundNone, Near}, {"近", BoundNone, Near},
	{"大约", BoundNone, About}, {"约为", BoundNone, About}, {"约占", BoundNone, About}, {"约", BoundNone, About},
	{"控制在", BoundNone, Exact}, {"保持在", BoundNone, Exact},
	{"增加到", BoundNone, Exact}, {"增长到", BoundNone, Exact}, {"提高到", BoundNone, Exact}, {"提升到", BoundNone, Exact},
	{"上升到", BoundNone, Exact}, {"下降到", BoundNone, Exact}, {"减少到", BoundNone, Exact}, {"降低到", BoundNone, Exact},
	{"增至", BoundNone, Exact}, {"升至", BoundNone, Exact}, {"降至", BoundNone, Exact}, {"减至", BoundNone, Exact},
	{"达到", BoundNone, Exact}, {"已达", BoundNone, Exact}, {"达", BoundNone, Exact},
	{"共计", BoundNone, Exact}, {"合计", BoundNone, Exact}, {"总计", BoundNone, Exact}, {"累计", BoundNone, Exact},
	{"共有", BoundNone, Exact}, {"共", BoundNone, Exact}, {"计", BoundNone, Exact},
	{"新增", BoundNone, Exact}, {"新建", BoundNone, Exact},
	{"分别为", BoundNone, Exact}, {"分别", BoundNone, Exact},
	{"为", BoundNone, Exact}, {"是", BoundNone, Exact}, {"有", BoundNone, Exact},
	{"占", BoundNone, Exact}, {"的", BoundNone, Exact}, {"了", BoundNone, Exact},
	{"到", BoundNone, Exact}, {"至", BoundNone, Exact}, {"在", BoundNone, Exact},
}

type changeWord struct {
	text   string
	change Change
}

var changeWords = []changeWord{
	{"增长幅度", Up}, {"增长率", Up}, {"增幅", Up}, {"下降幅度", Down}, {"下降率", Down}, {"降幅", Down},
	{"增长", Up}, {"增加", Up}, {"提高", Up}, {"提升", Up}, {"上升", Up}, {"扩大", Up}, {"增", Up},
	{"下降", Down}, {"减少", Down}, {"降低", Down}, {"缩小", Down}, {"减", Down},
}

var compareWords = []string{"比上年", "较上年", "比去年", "较去年", "比上一年", "较上一年", "同比", "与上年相比", "与去年相比", "比上年度", "较上年度"}

// Words removed from the start of the leading words.
var leadingScope = []string{"全区", "全县", "全市", "全镇", "全省", "我区", "我县", "我市", "本区", "本县", "辖区内", "辖区", "区内", "县内", "市内", "县域", "区域内", "区域", "市域"}
var leadingOther = []string{"其中", "年度", "年底", "年末", "年初", "当年", "全年", "本年", "年内", "年", "目前", "现有", "截至", "已", "共有", "共计", "共", "累计", "另有", "另", "拥有", "有", "对", "为", "内"}

// wordsByLast indexes trailingWords and changeWords by their last rune, so
// that trimming looks at the few words that can match.
var (
	trailingByLast = indexByLast(trailingWords, func(m marker) string { return m.text })
	changeByLast   = indexByLast(changeWords, func(m changeWord) string { return m.text })
)

func indexByLast[T any](list []T, text func(T) string) map[rune][]T {
	idx := map[rune][]T{}
	for _, x := range list {
		r, _ := utf8.DecodeLastRuneInString(text(x))
		idx[r] = append(idx[r], x)
	}
	return idx
}

// trimLead strips verbs, markers and scope words from the leading words and
// sets the claim's flags from them.
func (sc *scanner) trimLead(c *Claim, w string) string {
	for changed := true; changed && w != ""; {
		changed = false
		last, _ := utf8.DecodeLastRuneInString(w)
		for _, m := range trailingByLast[last] {
			if strings.HasSuffix(w, m.text) {
				w = w[:len(w)-len(m.text)]
				if m.bound != BoundNone && c.Bound == BoundNone {
					c.Bound = m.bound
				}
				if m.approx != Exact && c.Approx == Exact {
					c.Approx = m.approx
				}
				changed = true
				break
			}
		}
		if changed {
			continue
		}
		for _, m := range changeByLast[last] {
			if strings.HasSuffix(w, m.text) {
				w = w[:len(w)-len(m.text)]
				if c.Change == NoChange {
					c.Change = m.change
				}
				changed = true
				break
			}
		}
	}
	for _, cw := range compareWords {
		if k := strings.Index(w, cw); k >= 0 {
			c.Compare = true
			w = w[:k]
			break
		}
	}
	for changed := true; changed && w != ""; {
		changed = false
		if strings.HasPrefix(w, "其中") {
			c.Part = true
		}
		if strings.HasPrefix(w, "含") {
			c.Contained = true
			w = w[len("含"):]
			changed = true
			continue
		}
		for _, p := range leadingScope {
			if strings.HasPrefix(w, p) {
				w = w[len(p):]
				c.Scoped = true
				changed = true
				break
			}
		}
		for _, p := range leadingOther {
			if strings.HasPrefix(w, p) {
				w = w[len(p):]
				changed = true
				break
			}
		}
	}
	// A second pass over the end: 共有 before a scope word ("全区共有").
	for changed := true; changed && w != ""; {
		changed = false
		last, _ := utf8.DecodeLastRuneInString(w)
		for _, m := range trailingByLast[last] {
			if strings.HasSuffix(w, m.text) {
				w = w[:len(w)-len(m.text)]
				changed = true
				break
			}
		}
	}
	return w
}
