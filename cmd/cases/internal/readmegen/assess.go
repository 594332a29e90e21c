package main

import (
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/cmd/cases/internal/walker"
	"github.com/casesproject/cases/templates"
)

// The assessment and risk part of the tour continues from the foundation:
// case 2026-11-K7Q3M has members m1 (the client), m2 (spouse) and m3 (a
// child of eleven).
func init() {
	register(part{order: 30, name: "assess", steps: assessSteps})
	tables["instrument"] = instrumentTable
	tables["assess-walk"] = walkTranscript
	tourFiles["m1-answers.yaml"] = m1Answers
	tourFiles["m2-answers.yaml"] = m2Answers
	tourFiles["m3-answers.yaml"] = m3Answers
	tourFiles["m2-typo.yaml"] = strings.Replace(m2Answers, "housing-status: 2\n", "housing-status: 6\nhousing-stabilty: 2\n", 1)
}

var assessSteps = []step{
	{text: "Assess each household member. An answers file maps question ids to answers and may add what the member said: strengths, priorities, the interpreter and their own view.",
		cmd: "cat ../m1-answers.yaml"},
	{cmd: "cases assess 2026-11-K7Q3M --member m1 --answers ../m1-answers.yaml"},
	{text: "Answers are checked against the instrument for the member's age; a mistake names the question and the rule, never the answer, and nothing is written.",
		cmd: "cases assess 2026-11-K7Q3M --member m2 --answers ../m2-typo.yaml"},
	{text: "The spouse and the child (the child is not asked the questions for adults):",
		cmd: "cases assess 2026-11-K7Q3M --member m2 --answers ../m2-answers.yaml"},
	{cmd: "cases assess 2026-11-K7Q3M --member m3 --answers ../m3-answers.yaml"},
	{text: "The assessment is a commented document that records the instrument's version.",
		cmd: "cat cases/2026-11/2026-11-K7Q3M/assessments/2026-11-24-m1.yaml"},
	{text: "`risk` explains the score: each answer that earns points (question ids and points only: answers stay out of anything that may be pasted), the member whose score counts, the urgent needs, red flags, the level and what it recommends.",
		cmd: "cases risk 2026-11-K7Q3M"},
	{text: "`--record` writes the result into `case.yaml` and sets the recommended level of case management. The same inputs always give the same score and the same digest of the inputs, so anyone can check a recorded risk later.",
		cmd: "cases risk 2026-11-K7Q3M --record"},
	{cmd: "git log -1 --format=%s"},
	{text: "A worker who knows more than the score overrides the level, with a reason; recording risk again keeps the override until `--reset-level`.",
		cmd: "cases level 2026-11-K7Q3M intensive --reason 'landlord has served an eviction notice'"},
	{cmd: "cases risk 2026-11-K7Q3M --record"},
	{text: "`case.yaml` keeps the level, its history with the override's reason, and the recorded risk with the digest of its inputs.",
		cmd: "cat cases/2026-11/2026-11-K7Q3M/case.yaml"},
}

const m1Answers = `# Amina, with an Arabic interpreter.
interpreter: ar
housing-status: 2
housing-situation: with-others
safety-status: 4
safety-violence: false
safety-child: false
physical-health-status: 3
health-coverage: false
health-emergency: false
mental-health-status: 3
mental-health-suicidal: false
substance-use-status: 5
income-status: 2
income-benefits: [food-assistance]
employment-status: 2
employment-barriers: [language, credentials]
education-status: 4
legal-status: 3
legal-involvement: true
transportation-status: 3
food-status: 2
support-system-status: 3
support-sources: [family, faith-community]
language-status: 2
language-interpreter: true
strengths: [Trained as a pharmacist, Her sister's family lives nearby]
priorities: [housing, employment, language]
client-view: A place of our own first, then work in pharmacy.
`

const m2Answers = `interpreter: ar
housing-status: 2
housing-situation: with-others
safety-status: 4
safety-violence: false
safety-child: false
physical-health-status: 2
health-coverage: false
health-emergency: false
mental-health-status: 2
mental-health-suicidal: false
substance-use-status: 5
income-status: 2
employment-status: 2
employment-barriers: [work-permit, language]
education-status: 4
legal-status: 2
legal-involvement: true
transportation-status: 3
food-status: 2
support-system-status: 3
language-status: 2
language-interpreter: true
strengths: [Ten years as a civil engineer]
priorities: [employment, legal]
`

const m3Answers = `housing-status: 2
housing-situation: with-others
safety-status: 5
safety-violence: false
safety-child: false
physical-health-status: 4
health-coverage: false
health-emergency: false
mental-health-status: 3
mental-health-suicidal: false
education-status: 2
food-status: 2
support-system-status: 4
language-status: 3
language-interpreter: false
strengths: [Loves drawing]
priorities: [education]
`

func defaultInstrument() (*casefile.Instrument, error) {
	data, err := fs.ReadFile(templates.FS, "instruments/needs.yaml")
	if err != nil {
		return nil, err
	}
	d, problems := casefile.ParseDoc[casefile.Instrument]("instruments/needs.yaml", casefile.KindInstrument, data)
	if d == nil || len(problems) > 0 {
		return nil, fmt.Errorf("the default instrument: %v", problems)
	}
	return &d.Data, nil
}

// instrumentTable lists the default instrument's questions with what each
// answer earns.
func instrumentTable() (string, error) {
	ins, err := defaultInstrument()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The default instrument `%s` (version %d): %d domains, %d questions.\n\n", ins.ID, ins.Version, len(ins.Domains), len(ins.Questions))
	b.WriteString("| domain | question | type | asked | points | red flag |\n|---|---|---|---|---|---|\n")
	for _, q := range ins.Questions {
		asked := "required"
		if !q.Required {
			asked = "optional"
		}
		if q.MinAge != nil {
			asked += fmt.Sprintf(", from age %d", *q.MinAge)
		}
		var points []string
		switch q.Type {
		case "scale":
			for _, p := range ins.ScaleOf(&q) {
				points = append(points, fmt.Sprintf("%d: %g", p.Value, p.Points))
			}
		case "yes-no":
			points = append(points, fmt.Sprintf("yes: %g", q.YesPoints), fmt.Sprintf("no: %g", q.NoPoints))
		default:
			for _, o := range q.Options {
				if o.Points != 0 {
					points = append(points, fmt.Sprintf("%s: %g", o.ID, o.Points))
				}
			}
			if len(points) == 0 {
				points = append(points, "none")
			} else {
				points = append(points, "others: 0")
			}
		}
		flag := ""
		for _, v := range q.RedFlagAnswers {
			switch x := v.(type) {
			case bool:
				if x {
					flag = "yes"
				} else {
					flag = "no"
				}
			default:
				flag = fmt.Sprint(x)
			}
		}
		domain := q.Domain
		if d := ins.Domain(q.Domain); d != nil {
			domain = d.Name
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %s |\n", cell(domain), q.ID, q.Type, asked, cell(strings.Join(points, ", ")), flag)
	}
	return b.String(), nil
}

// echoLines feeds a walk one line per read and writes each line where the
// person would have typed it, so the transcript reads like a terminal.
type echoLines struct {
	lines []string
	out   io.Writer
}

func (e *echoLines) Read(p []byte) (int, error) {
	if len(e.lines) == 0 {
		return 0, io.EOF
	}
	line := e.lines[0] + "\n"
	e.lines = e.lines[1:]
	fmt.Fprint(e.out, line)
	return copy(p, line), nil
}

// walkTranscript is the beginning of a real walk through the default
// instrument with scripted answers.
func walkTranscript() (string, error) {
	ins, err := defaultInstrument()
	if err != nil {
		return "", err
	}
	var out strings.Builder
	in := &echoLines{lines: []string{"ar", "2", "with-others", "b", "", "5", "q"}, out: &out}
	_, err = walker.Walk(in, &out, walker.Options{Instrument: ins, Member: "m1", Relationship: "self", Age: 38, Date: "2026-11-24"})
	if err != walker.ErrQuit {
		return "", fmt.Errorf("the scripted walk did not end as scripted: %v", err)
	}
	return "```console\n$ cases assess 2026-11-K7Q3M --member m1\n" + out.String() + "cases: " + walker.ErrQuit.Error() + "\n```\n", nil
}
