package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/cmd/cases/internal/cli"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	goical "github.com/emersion/go-ical"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/rogpeppe/go-internal/txtar"
)

// handmadeArchive holds the hand-made repository the due and report
// stories (and the browser test) run on.
const handmadeArchive = "testdata/handmade.txtar"

// TestDueReportScripts runs the stories of cases due and cases report in
// testdata/duereport. They run apart from TestScripts because they need
// two more commands: handmade, which unpacks the hand-made case folders
// into a repository, and icalendar, which parses an iCalendar file with a
// second, independent library.
func TestDueReportScripts(t *testing.T) {
	archive, err := filepath.Abs(handmadeArchive)
	if err != nil {
		t.Fatal(err)
	}
	p := scriptParams("testdata/duereport")
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		env.Setenv("HANDMADE", archive)
		return setup(env)
	}
	p.Cmds["handmade"] = cmdHandmade
	p.Cmds["icalendar"] = cmdICalendar
	testscript.Run(t, p)
}

// handmade DIR writes the hand-made case folders ($HANDMADE) into the
// repository in DIR.
func cmdHandmade(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: handmade DIR")
	}
	if err := unpackHandmade(ts.Getenv("HANDMADE"), ts.MkAbs(args[0])); err != nil {
		ts.Fatalf("handmade: %v", err)
	}
}

func unpackHandmade(archive, dir string) error {
	a, err := txtar.ParseFile(archive)
	if err != nil {
		return err
	}
	for _, f := range a.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// icalendar FILE parses an iCalendar file with go-ical's strict decoder
// (a library other than the one cases writes with) and prints one line
// per event: UID, start, end, and summary, then the categories; it fails
// on anything the decoder refuses or an event without a required property.
func cmdICalendar(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: icalendar FILE")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	if err != nil {
		ts.Fatalf("icalendar: %v", err)
	}
	cal, err := goical.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		ts.Fatalf("icalendar: not a valid iCalendar file: %v", err)
	}
	for _, p := range []string{goical.PropVersion, goical.PropProductID} {
		if cal.Props.Get(p) == nil {
			ts.Fatalf("icalendar: the calendar has no %s", p)
		}
	}
	events := cal.Events()
	fmt.Fprintf(ts.Stdout(), "calendar %s, %d events\n", cal.Props.Get("X-WR-CALNAME").Value, len(events))
	for _, e := range events {
		uid, err := e.Props.Text(goical.PropUID)
		if err != nil || uid == "" {
			ts.Fatalf("icalendar: an event has no UID")
		}
		if _, err := e.Props.DateTime(goical.PropDateTimeStamp, time.UTC); err != nil {
			ts.Fatalf("icalendar: event %s: DTSTAMP: %v", uid, err)
		}
		start, err := e.DateTimeStart(time.UTC)
		if err != nil {
			ts.Fatalf("icalendar: event %s: DTSTART: %v", uid, err)
		}
		end, err := e.DateTimeEnd(time.UTC)
		if err != nil {
			ts.Fatalf("icalendar: event %s: DTEND: %v", uid, err)
		}
		summary, _ := e.Props.Text(goical.PropSummary)
		var cats []string
		if p := e.Props.Get(goical.PropCategories); p != nil {
			cats, _ = p.TextList()
		}
		fmt.Fprintf(ts.Stdout(), "%s %s %s %s [%s]\n", uid, start.Format(time.DateOnly), end.Format(time.DateOnly), summary, strings.Join(cats, ","))
	}
}

// chromium finds Debian's chromium (or CASES_CHROMIUM).
func chromium() string {
	if p := os.Getenv("CASES_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestReportHTMLInChromium opens the HTML report of the hand-made
// repository in headless Chromium: it must load without a console error,
// an exception or any request beyond the page itself, show its charts, and
// a screenshot of a chart must not be blank. make test-browser installs
// chromium first and requires this test to run; elsewhere it is skipped
// when chromium is missing. CASES_SCREENSHOTS=DIR keeps the screenshots.
func TestReportHTMLInChromium(t *testing.T) {
	exe := chromium()
	if exe == "" {
		if os.Getenv("CASES_REQUIRE_BROWSER") != "" {
			t.Fatal("chromium is not installed (make browser installs it)")
		}
		t.Skip("SKIP: chromium is not installed; make browser installs it (as root, with apt-get)")
	}
	dir := t.TempDir()
	repo := filepath.Join(dir, "clients")
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	if _, err := casefile.Init(repo, casefile.InitOptions{Organization: "Hand-made", Program: "general", Name: "Ana Ruiz", Email: "ana@example.org", Now: now}); err != nil {
		t.Fatal(err)
	}
	if err := unpackHandmade(handmadeArchive, repo); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(repo, "cases.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// A small-cell size of 3 lets this small repository publish some equity
	// figures beside the withheld ones.
	cfg = bytes.Replace(cfg, []byte("small-cell: 11"), []byte("small-cell: 3"), 1)
	if err := os.WriteFile(filepath.Join(repo, "cases.yaml"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CASES_NOW", now.Format(time.RFC3339))
	var out, errOut bytes.Buffer
	if code := cli.Run([]string{"--repo", repo, "report", "--from", "2026-01-01", "--to", "2026-11-24", "--format", "html"}, cli.NewStreams(nil, &out, &errOut)); code != 0 {
		t.Fatalf("cases report exited %d: %s", code, errOut.String())
	}
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.WindowSize(1100, 900),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	var mu sync.Mutex
	var problems []string
	pageURL := "file://" + page
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning || e.Type == runtime.ConsoleAPICalledTypeAssert {
				problems = append(problems, fmt.Sprintf("console %s", e.Type))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
				problems = append(problems, fmt.Sprintf("log %s: %s", e.Entry.Level, e.Entry.Text))
			}
		case *network.EventRequestWillBeSent:
			if u := e.Request.URL; u != pageURL && !strings.HasPrefix(u, "data:") {
				problems = append(problems, "request for "+u)
			}
		}
	}
	if err := chromedp.Listen(ctx, listen); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	err = chromedp.Do(ctx, chromedp.Navigate(pageURL), chromedp.WaitReady(chromedp.CSS("footer")))
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.chart").length`))
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	firstChart, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(`#caseload\.open\.stage + p + .fig svg.chart`)))
	if err != nil {
		t.Fatalf("chromium: screenshot of a chart: %v", err)
	}
	full, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("chromium: screenshot of the page: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("the page did not load cleanly:\n%s", strings.Join(problems, "\n"))
	}
	if charts < 20 {
		t.Errorf("the page shows %d charts, want one per table (more than 20)", charts)
	}
	img, err := png.Decode(bytes.NewReader(firstChart))
	if err != nil {
		t.Fatalf("screenshot of a chart: %v", err)
	}
	inked, colored := pixels(img)
	total := img.Bounds().Dx() * img.Bounds().Dy()
	// The bars are drawn in colour; text and lines are grey.
	if colored < total/50 || inked < total/20 {
		t.Errorf("the chart of open cases by stage looks blank: %d of %d pixels inked, %d coloured", inked, total, colored)
	}
	if keep := os.Getenv("CASES_SCREENSHOTS"); keep != "" {
		_ = os.MkdirAll(keep, 0o755)
		_ = os.WriteFile(filepath.Join(keep, "report-chart.png"), firstChart, 0o644)
		_ = os.WriteFile(filepath.Join(keep, "report-page.png"), full, 0o644)
		_ = os.WriteFile(filepath.Join(keep, "report.html"), out.Bytes(), 0o644)
	}
}

// pixels counts the pixels that are not white, and those with a clear
// colour (not a shade of grey).
func pixels(img image.Image) (inked, colored int) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			if r < 240 || g < 240 || bl < 240 {
				inked++
			}
			if slices.Max([]uint32{r, g, bl})-slices.Min([]uint32{r, g, bl}) > 60 {
				colored++
			}
		}
	}
	return inked, colored
}
