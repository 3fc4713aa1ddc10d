package markdown

import "strconv"

// maxNesting bounds how deeply block quotes and lists may nest. goldmark
// handles deep nesting in time quadratic in the depth (3,000 nested list
// items took a minute and a half and 660 MB; 200,000 nested quotes, fifty
// seconds), and no page needs more than a handful of levels, so a page
// beyond the bound is refused before it is parsed.
const maxNesting = 64

// tooDeep finds the first line outside fenced code that opens more than
// maxNesting quotes or sits indented more than maxNesting list levels, and
// returns its offset, or -1.
func tooDeep(src []byte) (offset int, what string) {
	fence := byte(0)
	fenceLen := 0
	for start := 0; start < len(src); {
		end := start
		for end < len(src) && src[end] != '\n' {
			end++
		}
		line := src[start:end]
		quotes, indent, i := 0, 0, 0
		for ; i < len(line); i++ {
			switch line[i] {
			case '>':
				quotes++
				indent = 0
			case ' ':
				indent++
			case '\t':
				indent += 4
			default:
				goto body
			}
		}
	body:
		run := 0
		for i+run < len(line) && (line[i+run] == '`' || line[i+run] == '~') && line[i+run] == line[i] {
			run++
		}
		switch {
		case fence != 0:
			if run >= fenceLen && line[i] == fence {
				fence = 0
			}
		case run >= 3:
			fence, fenceLen = line[i], run
		case quotes > maxNesting:
			return start, strconv.Itoa(quotes) + " block quotes"
		case indent > 2*maxNesting+4 && i < len(line) && isListMarker(line[i:]):
			return start, "a list item indented " + strconv.Itoa(indent) + " columns"
		}
		start = end + 1
	}
	return -1, ""
}

func isListMarker(b []byte) bool {
	switch {
	case len(b) >= 2 && (b[0] == '-' || b[0] == '*' || b[0] == '+') && (b[1] == ' ' || b[1] == '\t'):
		return true
	case len(b) >= 1 && b[0] >= '0' && b[0] <= '9':
		j := 0
		for j < len(b) && j < 9 && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		return j < len(b) && (b[j] == '.' || b[j] == ')')
	}
	return false
}
