package risk

import (
	"math/rand/v2"
	"testing"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/yamlx"
)

// BenchmarkScore scores a household of four against its floor: parsing the
// same four assessments through the strict reader and schema, which every
// risk command does before it scores. Compare ns/op of score with floor.
func BenchmarkScore(b *testing.B) {
	ins, model := defaults(b)
	rng := rand.New(rand.NewPCG(7, 8))
	in := randomCase(rng, ins)
	for len(in.Latest) < 4 {
		in = randomCase(rng, ins)
	}
	in.Model = model
	var docs [][]byte
	for _, a := range in.Latest {
		root := yamlx.Map("member", yamlx.Str(a.Member), "instrument", yamlx.Str("needs"), "instrument-version", yamlx.Int(1),
			"date", yamlx.Plain(a.Date), "assessor", yamlx.Str("ana"), "answers", yamlx.FromValue(map[string]any(a.Answers), nil))
		data, err := casefile.EncodeDoc(&yamlx.Doc{Path: "a.yaml", Node: yamlx.Document(root, "")}, casefile.KindAssessment)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, data)
	}
	b.Run("floor-parse-assessments", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, d := range docs {
				if _, ps := casefile.ParseDoc[casefile.Assessment]("cases/2026-11/2026-11-K7Q3M/assessments/2026-11-20-m1.yaml", casefile.KindAssessment, d); len(ps) > 0 {
					b.Fatal(ps)
				}
			}
		}
	})
	b.Run("score", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Score(in); err != nil {
				b.Fatal(err)
			}
		}
	})
}
