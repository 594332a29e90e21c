package docdiff

import (
	"strings"
	"testing"

	"github.com/casesproject/cases/casefile/yamlx"
)

func root(t *testing.T, src string) *yamlx.Doc {
	t.Helper()
	doc, problems := yamlx.Parse("x.yaml", []byte(src))
	if len(problems) > 0 {
		t.Fatalf("parse: %v", problems)
	}
	return doc
}

// lines renders changes as "op path: old -> new" for comparison.
func lines(cs []Change, full bool) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(string(c.Op) + " " + c.Path + ":")
		if c.Op != Added {
			b.WriteString(" " + c.ShowOld(full))
		}
		if c.Op == Changed {
			b.WriteString(" ->")
		}
		if c.Op != Removed {
			b.WriteString(" " + c.ShowNew(full))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		full     bool
		want     string
	}{
		{
			name: "list items are matched by id, not position",
			old: `goals:
  - {id: g1, status: in-progress, domain: housing}
  - {id: g2, status: in-progress, domain: income}
`,
			new: `goals:
  - {id: g3, status: not-started, domain: legal}
  - {id: g1, status: in-progress, domain: housing}
  - {id: g2, status: met, domain: income}
`,
			want: "added goals[g3]: {id: g3, status: not-started, domain: legal}\nchanged goals[g2].status: in-progress -> met\n",
		},
		{
			name: "histories grow by position; a removed item is one change",
			old: `stage: intake
stage-history:
  - {to: intake, at: 2026-11-01T10:00:00Z, by: ana}
tasks:
  - {id: t1, goal: g1}
  - {id: t2, goal: g1}
`,
			new: `stage: assessment
stage-history:
  - {to: intake, at: 2026-11-01T10:00:00Z, by: ana}
  - {from: intake, to: assessment, at: 2026-11-02T10:00:00Z, by: ana, forced: true, reason: the family must move this week}
tasks:
  - {id: t2, goal: g1}
`,
			want: `changed stage: intake -> assessment
added stage-history[1]: {from: intake, to: assessment, at: 2026-11-02T10:00:00Z, by: ana, forced: true, reason: "the family must…" (30 characters)}
removed tasks[t1]: {id: t1, goal: g1}
`,
		},
		{
			name: "closure goals by goal id, eligibility by program",
			old:  "goals:\n  - {goal: g1, result: met}\n  - {goal: g2, result: not-met}\neligibility:\n  - {program: shelter, eligible: false}\n",
			new:  "goals:\n  - {goal: g2, result: partly-met}\n  - {goal: g1, result: met}\neligibility:\n  - {program: food, eligible: true}\n  - {program: shelter, eligible: true}\n",
			want: "changed goals[g2].result: not-met -> partly-met\nadded eligibility[food]: {program: food, eligible: true}\nchanged eligibility[shelter].eligible: false -> true\n",
		},
		{
			name: "names show their initial, contact details are masked, text is shortened",
			old:  "household:\n  - id: m1\n    name: {given: Amina, family: Haddad}\n    dob: 1988-03-14\ncontact: {phone: 555-0100}\nhistory: {social: Lives with her sister's family since arriving in October.}\n",
			new:  "household:\n  - id: m1\n    name: {given: Amina, family: Hadad}\n    dob: 1988-04-14\ncontact: {phone: 555-0199}\nhistory: {social: Lives alone now.}\n",
			want: "changed household[m1].name.family: H. -> H.\nchanged household[m1].dob: *** -> ***\nchanged contact.phone: *** -> ***\nchanged history.social: \"Lives with her…\" (57 characters) -> Lives alone now.\n",
		},
		{
			name: "--full shows everything",
			old:  "contact: {phone: 555-0100}\ntext: Called about the lease renewal and the deposit.\n",
			new:  "contact: {phone: 555-0199}\ntext: Called about the lease.\n",
			full: true,
			want: "changed contact.phone: 555-0100 -> 555-0199\nchanged text: Called about the lease renewal and the deposit. -> Called about the lease.\n",
		},
		{
			name: "answers: points and options plain, text answers shortened",
			old:  "answers:\n  housing-status: 2\n  housing-situation: with-others\n",
			new:  "answers:\n  housing-status: 3\n  housing-situation: own-or-rent\n  housing-notes: Landlord agreed to repair the heating before winter.\n",
			want: "changed answers.housing-status: 2 -> 3\nchanged answers.housing-situation: with-others -> own-or-rent\nadded answers.housing-notes: \"Landlord agreed to…\" (52 characters)\n",
		},
		{
			name: "comments, key order and flow style are not changes",
			old:  "# a comment\nid: 2026-11-K7Q3M\nurgent-needs: [food, housing]\nworker: ana\n",
			new:  "worker: ana # the worker\nid: 2026-11-K7Q3M\nurgent-needs:\n  - food\n  - housing\n",
			want: "",
		},
		{
			name: "lists of words change as a whole",
			old:  "urgent-needs: [food, housing]\nstrengths: [Trained as a pharmacist]\n",
			new:  "urgent-needs: [housing, food, safety]\nstrengths: [Trained as a pharmacist, Speaks three languages fluently]\n",
			want: "changed urgent-needs: [food, housing] -> [housing, food, safety]\nchanged strengths: [\"Trained as a…\" (23 characters)] -> [\"Trained as a…\" (23 characters), \"Speaks three…\" (31 characters)]\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lines(Diff(root(t, tt.old).Root(), root(t, tt.new).Root()), tt.full)
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestAddedDocumentListsItsFieldsAndMembers(t *testing.T) {
	doc := root(t, "date: 2026-11-24\nhousehold:\n  - {id: m1, relationship: self, name: {given: Amina}}\n  - {id: m2, relationship: child}\n")
	got := lines(Diff(nil, doc.Root()), false)
	want := "added date: 2026-11-24\nadded household[m1]: {id: m1, relationship: self, name: {given: A.}}\nadded household[m2]: {id: m2, relationship: child}\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestFindConflictNamesTheFields(t *testing.T) {
	src := `goals:
  - id: g1
    status: met
  - id: g2
<<<<<<< HEAD
    status: met
    target: one job offer
=======
    status: dropped
    target: one job offer
>>>>>>> ben
`
	c := FindConflict([]byte(src))
	if c == nil || c.Line != 5 {
		t.Fatalf("conflict %+v", c)
	}
	if len(c.Fields) != 1 || c.Fields[0] != "goals[g2].status" {
		t.Errorf("fields %v", c.Fields)
	}
	msg := c.Message("cases/2026-11/2026-11-K7Q3M/plan.yaml")
	want := "unresolved merge conflict in plan.yaml: keep one of the two versions of goals[g2].status; delete the lines <<<<<<<, ======= and >>>>>>>, then commit"
	if msg != want {
		t.Errorf("message %q", msg)
	}
	if FindConflict([]byte("a: 1\nb: '======='\n")) != nil {
		t.Error("a value that looks like a marker is not a conflict")
	}
	// diff3 style, with the common version between ||||||| and =======.
	c = FindConflict([]byte("stage: x\n<<<<<<< ours\nlevel: targeted\n||||||| base\nlevel: supportive\n=======\nlevel: intensive\n>>>>>>> theirs\n"))
	if c == nil || len(c.Fields) != 1 || c.Fields[0] != "level" {
		t.Errorf("diff3: %+v", c)
	}
	// Unterminated markers: a conflict, without fields.
	c = FindConflict([]byte("a: 1\n<<<<<<< HEAD\na: 2\n"))
	if c == nil || len(c.Fields) != 0 || !strings.Contains(c.Message("x/intake.yaml"), "versions of the conflicting lines") {
		t.Errorf("broken: %+v", c)
	}
}

func TestDocs(t *testing.T) {
	dir := "cases/2026-11/2026-11-K7Q3M/"
	old := map[string][]byte{
		dir + "case.yaml":                         []byte("stage: intake\n"),
		dir + "intake.yaml":                       []byte("date: 2026-11-24\n"),
		dir + "notes/20261124T100000Z-ABCDE.yaml": []byte("text: hi\n"),
		dir + "closure.yaml":                      []byte("date: 2026-11-24\n"),
	}
	new := map[string][]byte{
		dir + "case.yaml":                         []byte("stage: assessment\n"),
		dir + "intake.yaml":                       []byte("# reviewed\ndate: 2026-11-24\n"),
		dir + "notes/20261124T100000Z-ABCDE.yaml": []byte("text: [\n"),
		dir + "plan.yaml":                         []byte("goals: []\n"),
	}
	var got []string
	for _, d := range Docs(old, new) {
		got = append(got, string(d.Op)+" "+strings.TrimPrefix(d.Path, dir)+" "+string(d.Kind)+" changes="+itoa(len(d.Changes))+" unreadable="+boolString(d.Unreadable != ""))
	}
	want := []string{
		"changed case.yaml case changes=1 unreadable=false",
		"changed intake.yaml intake changes=0 unreadable=false",
		"added plan.yaml plan changes=1 unreadable=false",
		"changed notes/20261124T100000Z-ABCDE.yaml note changes=0 unreadable=true",
		"removed closure.yaml closure changes=0 unreadable=false",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func itoa(n int) string { return string(rune('0' + n)) }

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestShowPairShowsWhereTextsDiffer(t *testing.T) {
	cs := Diff(root(t, "text: Called about the lease; the viewing is on Friday at ten.\n").Root(),
		root(t, "text: Called about the lease; the viewing is on Saturday at ten.\n").Root())
	if len(cs) != 1 {
		t.Fatalf("changes %v", cs)
	}
	old, new := cs[0].ShowPair(false)
	if old != `"…is on Friday at ten." (56 characters)` || new != `"…is on Saturday at te…" (58 characters)` {
		t.Errorf("pair %s -> %s", old, new)
	}
	if old, _ := cs[0].ShowPair(true); old != "Called about the lease; the viewing is on Friday at ten." {
		t.Errorf("full %s", old)
	}
	// Texts that differ early are shortened from the start.
	cs = Diff(root(t, "text: Left a message about the deposit.\n").Root(), root(t, "text: Called twice about the deposit.\n").Root())
	if old, new := cs[0].ShowPair(false); old != `"Left a message…" (33 characters)` || new != `"Called twice about…" (31 characters)` {
		t.Errorf("early %s -> %s", old, new)
	}
}
