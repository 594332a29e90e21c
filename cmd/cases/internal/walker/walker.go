// Package walker walks a person through an assessment on a terminal: one
// question at a time, showing the domain, the prompt and the labelled
// scale or options, with skip, back and a confirmation at the end. It reads
// lines from any reader and writes to any writer, so tests drive it with
// scripted input; the command line only hands it the terminal.
package walker

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/assess"
)

// ErrQuit is returned when the person quits, or the input ends, before
// confirming: nothing is to be written.
var ErrQuit = errors.New("assessment abandoned; nothing was written")

// Options say what is assessed.
type Options struct {
	Instrument   *casefile.Instrument
	Member       string
	Relationship string
	Age          int // -1 when unknown: every question is asked
	Date         string
	// Start holds answers to start from (for example read from a file);
	// nil starts empty.
	Start *assess.Input
}

type action int

const (
	next action = iota
	back
	quit
)

type walk struct {
	in   *bufio.Reader
	out  io.Writer
	opts Options
	res  *assess.Input
}

// Walk asks every question of the instrument that applies at the member's
// age, then the member's strengths, priorities and own view, then asks to
// save. It returns what was said, or ErrQuit.
func Walk(r io.Reader, w io.Writer, opts Options) (*assess.Input, error) {
	ins := opts.Instrument
	wk := &walk{in: bufio.NewReader(r), out: w, opts: opts, res: &assess.Input{Answers: casefile.Answers{}}}
	if s := opts.Start; s != nil {
		for k, v := range s.Answers {
			wk.res.Answers[k] = v
		}
		wk.res.Strengths, wk.res.Priorities, wk.res.Interpreter, wk.res.ClientView = s.Strengths, s.Priorities, s.Interpreter, s.ClientView
	}
	var questions []*casefile.Question
	for i := range ins.Questions {
		if ins.Questions[i].AppliesAt(opts.Age) {
			questions = append(questions, &ins.Questions[i])
		}
	}
	who := opts.Member
	if opts.Relationship != "" {
		who += ", " + opts.Relationship
	}
	if opts.Age >= 0 {
		who += fmt.Sprintf(", age %d", opts.Age)
	}
	wk.printf("Assessment of %s on %s with %s (%s version %d): %d questions.\n", who, opts.Date, ins.Name, ins.ID, ins.Version, len(questions))
	wk.printf("Type an answer and press Enter. Enter alone skips an optional question\n(or keeps the answer shown); s skips it, b goes back, q quits without saving.\n")

	var steps []func() action
	steps = append(steps, wk.interpreter)
	for i, q := range questions {
		steps = append(steps, func() action { return wk.question(q, i+1, len(questions)) })
	}
	steps = append(steps, wk.strengths, wk.priorities, wk.clientView, wk.confirm)
	for i := 0; i < len(steps); {
		switch steps[i]() {
		case next:
			i++
		case back:
			if i > 0 {
				i--
			}
		case quit:
			return nil, ErrQuit
		}
	}
	return wk.res, nil
}

func (w *walk) printf(format string, a ...any) { fmt.Fprintf(w.out, format, a...) }

// read prompts and reads one line; ok is false at the end of the input.
func (w *walk) read() (string, bool) {
	w.printf("> ")
	line, err := w.in.ReadString('\n')
	if err != nil && line == "" {
		w.printf("\n")
		return "", false
	}
	return strings.TrimSpace(line), true
}

// command recognizes the navigation words.
func command(line string) (action, bool) {
	switch strings.ToLower(line) {
	case "b", "back":
		return back, true
	case "q", "quit":
		return quit, true
	}
	return next, false
}

func (w *walk) interpreter() action {
	w.printf("\nInterpreter: the language tag of a trained interpreter who took part (such as ar or fa-AF), n if none did, Enter to leave it unrecorded.\n")
	if it := w.res.Interpreter; it != nil {
		w.printf("Now: %s\n", interpreterText(it))
	}
	for {
		line, ok := w.read()
		if !ok {
			return quit
		}
		if a, isCmd := command(line); isCmd {
			return a
		}
		switch {
		case line == "":
			return next
		case strings.EqualFold(line, "n") || strings.EqualFold(line, "no") || strings.EqualFold(line, "none"):
			w.res.Interpreter = &casefile.Interpreter{Used: false}
			return next
		case assess.ValidLanguage(line):
			w.res.Interpreter = &casefile.Interpreter{Used: true, Language: line}
			return next
		}
		w.printf("Type a language tag such as ar, n for none, or Enter.\n")
	}
}

func interpreterText(it *casefile.Interpreter) string {
	switch {
	case !it.Used:
		return "none"
	case it.Language == "":
		return "used"
	}
	return it.Language
}

func (w *walk) question(q *casefile.Question, n, total int) action {
	ins := w.opts.Instrument
	domain := q.Domain
	if d := ins.Domain(q.Domain); d != nil {
		domain = d.Name
	}
	need := "optional"
	if q.Required {
		need = "required"
	}
	w.printf("\n[%d/%d] %s · %s (%s)\n%s\n", n, total, domain, q.ID, need, q.Prompt)
	if q.Help != "" {
		w.printf("(%s)\n", q.Help)
	}
	switch q.Type {
	case "scale":
		for _, p := range ins.ScaleOf(q) {
			w.printf("  %d  %-11s %s\n", p.Value, p.Label, p.Description)
		}
	case "single", "multiple":
		for i, o := range q.Options {
			w.printf("  %d  %s (%s)\n", i+1, o.Label, o.ID)
		}
		if q.Type == "multiple" {
			w.printf("  Choose any: numbers or ids separated by commas.\n")
		}
	case "yes-no":
		w.printf("  y  yes\n  n  no\n")
	case "number":
		w.printf("  A number%s.\n", rangeText(q))
	case "date":
		w.printf("  A date, YYYY-MM-DD.\n")
	}
	cur, has := w.res.Answers[q.ID]
	if has {
		w.printf("Now: %s\n", show(ins, q, cur))
	}
	for {
		line, ok := w.read()
		if !ok {
			return quit
		}
		if a, isCmd := command(line); isCmd {
			return a
		}
		skip := strings.EqualFold(line, "s") || strings.EqualFold(line, "skip")
		if line == "" && has {
			return next
		}
		if line == "" || skip {
			if q.Required {
				w.printf("This question is required: answer it, or b to go back.\n")
				continue
			}
			delete(w.res.Answers, q.ID)
			return next
		}
		v, msg := parse(ins, q, line)
		if msg != "" {
			w.printf("%s\n", msg)
			continue
		}
		w.res.Answers[q.ID] = v
		return next
	}
}

func rangeText(q *casefile.Question) string {
	f := func(p *float64) string { return strconv.FormatFloat(*p, 'f', -1, 64) }
	switch {
	case q.Min != nil && q.Max != nil:
		return " from " + f(q.Min) + " to " + f(q.Max)
	case q.Min != nil:
		return " of at least " + f(q.Min)
	case q.Max != nil:
		return " of at most " + f(q.Max)
	}
	return ""
}

// parse turns a typed line into an answer of the question's type, the way
// the strict reader would have read it from a file, or says what to type.
func parse(ins *casefile.Instrument, q *casefile.Question, line string) (any, string) {
	var v any
	switch q.Type {
	case "scale":
		n, err := strconv.Atoi(line)
		if err != nil {
			for _, p := range ins.ScaleOf(q) {
				if strings.EqualFold(p.Label, line) {
					n, err = p.Value, nil
				}
			}
		}
		if err != nil {
			return nil, "Type the number of a point on the scale."
		}
		v = int64(n)
	case "yes-no":
		switch strings.ToLower(line) {
		case "y", "yes":
			v = true
		case "n", "no":
			v = false
		default:
			return nil, "Type y or n."
		}
	case "single":
		id, ok := option(q, line)
		if !ok {
			return nil, "Type the number or id of one option."
		}
		v = id
	case "multiple":
		var list []any
		for _, part := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' }) {
			id, ok := option(q, part)
			if !ok {
				return nil, "Type numbers or ids of options, separated by commas."
			}
			if !slices.Contains(list, any(id)) {
				list = append(list, id)
			}
		}
		v = list
	case "number":
		f, err := strconv.ParseFloat(line, 64)
		if err != nil {
			return nil, "Type a number."
		}
		if f == float64(int64(f)) {
			v = int64(f)
		} else {
			v = f
		}
	case "date":
		if _, err := time.Parse(time.DateOnly, line); err != nil {
			return nil, "Type a date as YYYY-MM-DD."
		}
		v = line
	default:
		v = line
	}
	for _, p := range ins.CheckAnswers(casefile.Answers{q.ID: v}, -1) {
		if p.Question == q.ID && p.Rule == casefile.RuleAnswerFit {
			return nil, "Not an answer to this question: " + p.Message + "."
		}
	}
	return v, ""
}

func option(q *casefile.Question, s string) (string, bool) {
	if o := q.Option(s); o != nil {
		return o.ID, true
	}
	if i, err := strconv.Atoi(s); err == nil && i >= 1 && i <= len(q.Options) {
		return q.Options[i-1].ID, true
	}
	return "", false
}

// show writes an answer for the person at the terminal.
func show(ins *casefile.Instrument, q *casefile.Question, v any) string {
	switch q.Type {
	case "scale":
		for _, p := range ins.ScaleOf(q) {
			if n, ok := v.(int64); ok && int64(p.Value) == n {
				return fmt.Sprintf("%d %s", n, p.Label)
			}
		}
	case "yes-no":
		if b, _ := v.(bool); b {
			return "yes"
		}
		return "no"
	case "multiple":
		var ids []string
		for _, it := range v.([]any) {
			ids = append(ids, fmt.Sprint(it))
		}
		return strings.Join(ids, ", ")
	}
	return fmt.Sprint(v)
}

func (w *walk) strengths() action {
	w.printf("\nStrengths the member names (skills, experience, people, faith, ...), one per line; an empty line ends.\n")
	if len(w.res.Strengths) > 0 {
		w.printf("Now: %s\nEnter keeps them; type new ones to replace them.\n", strings.Join(w.res.Strengths, "; "))
	}
	var got []string
	for {
		line, ok := w.read()
		if !ok {
			return quit
		}
		if a, isCmd := command(line); isCmd && len(got) == 0 {
			return a
		}
		if line == "" {
			if len(got) > 0 {
				w.res.Strengths = got
			}
			return next
		}
		got = append(got, line)
	}
}

func (w *walk) priorities() action {
	ins := w.opts.Instrument
	w.printf("\nThe member's own priorities: the domains they find most pressing, most pressing first (numbers or ids, separated by commas; Enter for none).\n")
	for i, d := range ins.Domains {
		w.printf("  %d  %s (%s)\n", i+1, d.Name, d.ID)
	}
	if len(w.res.Priorities) > 0 {
		w.printf("Now: %s\n", strings.Join(w.res.Priorities, ", "))
	}
	for {
		line, ok := w.read()
		if !ok {
			return quit
		}
		if a, isCmd := command(line); isCmd {
			return a
		}
		if line == "" {
			return next
		}
		var got []string
		valid := true
		for _, part := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' }) {
			id := ""
			if ins.Domain(part) != nil {
				id = part
			} else if i, err := strconv.Atoi(part); err == nil && i >= 1 && i <= len(ins.Domains) {
				id = ins.Domains[i-1].ID
			}
			if id == "" {
				valid = false
				break
			}
			if !slices.Contains(got, id) {
				got = append(got, id)
			}
		}
		if !valid {
			w.printf("Type numbers or ids of the domains listed.\n")
			continue
		}
		w.res.Priorities = got
		return next
	}
}

func (w *walk) clientView() action {
	w.printf("\nThe member's own view of their needs and strengths, in brief (Enter to leave it out).\n")
	if w.res.ClientView != "" {
		w.printf("Now: %s\n", w.res.ClientView)
	}
	line, ok := w.read()
	if !ok {
		return quit
	}
	if a, isCmd := command(line); isCmd {
		return a
	}
	if line != "" {
		w.res.ClientView = line
	}
	return next
}

func (w *walk) confirm() action {
	ins := w.opts.Instrument
	answered, skipped := 0, 0
	w.printf("\nSummary:\n")
	for i := range ins.Questions {
		q := &ins.Questions[i]
		if !q.AppliesAt(w.opts.Age) {
			continue
		}
		v, ok := w.res.Answers[q.ID]
		if !ok {
			skipped++
			continue
		}
		answered++
		w.printf("  %-24s %s\n", q.ID, show(ins, q, v))
	}
	w.printf("%d answered, %d skipped", answered, skipped)
	if it := w.res.Interpreter; it != nil {
		w.printf("; interpreter: %s", interpreterText(it))
	}
	w.printf("; %d strengths, %d priorities.\n", len(w.res.Strengths), len(w.res.Priorities))
	w.printf("Save this assessment? y to save, b to go back, q to quit without saving.\n")
	for {
		line, ok := w.read()
		if !ok {
			return quit
		}
		if a, isCmd := command(line); isCmd {
			return a
		}
		if strings.EqualFold(line, "y") || strings.EqualFold(line, "yes") {
			return next
		}
		w.printf("Type y, b or q.\n")
	}
}
