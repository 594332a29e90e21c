package gen

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// A language group: the households a program serves who speak one primary
// language, with names, the race and ethnicity categories people in the
// group most often report, and how often adults need an interpreter. The
// names are common given and family names, invented into households at
// random: no real person is described.
type group struct {
	lang        string   // BCP 47 tag
	race        []weight // race-ethnicity categories, each member picks one (or two, see raceMix)
	interpreter float64  // share of adults who need an interpreter
	female      []string
	male        []string
	family      []string
}

type weight struct {
	v string
	w float64
}

var groups = map[string]*group{
	"en": {"en", []weight{{"white", 42}, {"black", 32}, {"hispanic-latino", 8}, {"asian", 4}, {"american-indian-alaska-native", 4}, {"native-hawaiian-pacific-islander", 1}, {"another", 2}, {"not-disclosed", 7}}, 0,
		[]string{"Jessica", "Ashley", "Brittany", "Tanya", "Keisha", "Amanda", "Crystal", "Shawna", "Linda", "Megan", "Destiny", "Tasha"},
		[]string{"Michael", "James", "Darnell", "Robert", "Tyrone", "Kevin", "Brandon", "Dwayne", "Joseph", "Cody", "Marcus", "Travis"},
		[]string{"Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor", "Jackson", "Harris", "Walker", "Robinson"}},
	"es": {"es", []weight{{"hispanic-latino", 80}, {"white", 8}, {"black", 4}, {"american-indian-alaska-native", 3}, {"not-disclosed", 5}}, 0.55,
		[]string{"María", "Guadalupe", "Rosa", "Ana", "Lucía", "Carmen", "Yesenia", "Daniela", "Gabriela", "Marisol", "Elena", "Verónica"},
		[]string{"José", "Juan", "Luis", "Carlos", "Miguel", "Jorge", "Francisco", "Alejandro", "Héctor", "Ramón", "Diego", "Óscar"},
		[]string{"García", "Hernández", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez", "Ramírez", "Flores", "Cruz", "Morales"}},
	"ar": {"ar", []weight{{"middle-eastern-north-african", 88}, {"white", 4}, {"another", 3}, {"not-disclosed", 5}}, 0.7,
		[]string{"Amina", "Fatima", "Layla", "Noor", "Huda", "Rania", "Zainab", "Mariam", "Salma", "Hiba", "Yasmin", "Reem"},
		[]string{"Omar", "Ahmad", "Mohammed", "Khaled", "Yusuf", "Ali", "Hassan", "Mustafa", "Tariq", "Samir", "Bilal", "Karim"},
		[]string{"Haddad", "Khalil", "Nasser", "Saleh", "Haddadin", "Mansour", "Darwish", "Aziz", "Hamdan", "Qasim", "Jaber", "Sabbagh"}},
	"prs": {"prs", []weight{{"middle-eastern-north-african", 45}, {"asian", 45}, {"not-disclosed", 10}}, 0.8,
		[]string{"Farida", "Mariam", "Shabnam", "Zahra", "Nazanin", "Parwana", "Sima", "Laila", "Roya", "Freshta", "Hamida", "Nilofar"},
		[]string{"Ahmad", "Farid", "Hamid", "Jawad", "Mahmood", "Nasir", "Rahim", "Sayed", "Wahid", "Zabihullah", "Mirwais", "Habib"},
		[]string{"Ahmadi", "Rahimi", "Karimi", "Hashimi", "Sultani", "Noori", "Azizi", "Mohammadi", "Jalali", "Rezaei", "Sadat", "Wardak"}},
	"ps": {"ps", []weight{{"middle-eastern-north-african", 45}, {"asian", 45}, {"not-disclosed", 10}}, 0.85,
		[]string{"Gulalai", "Malalai", "Spozhmai", "Zarghuna", "Palwasha", "Nazo", "Shazia", "Marwa"},
		[]string{"Gul", "Khan", "Wali", "Zalmai", "Abdullah", "Noorullah", "Shafiq", "Asad"},
		[]string{"Yousafzai", "Durrani", "Khattak", "Popal", "Niazi", "Shinwari", "Mangal", "Stanikzai"}},
	"uk": {"uk", []weight{{"white", 92}, {"not-disclosed", 8}}, 0.5,
		[]string{"Olena", "Iryna", "Natalia", "Oksana", "Tetiana", "Yulia", "Svitlana", "Kateryna", "Halyna", "Anastasiia"},
		[]string{"Oleksandr", "Andrii", "Dmytro", "Serhii", "Volodymyr", "Mykola", "Yurii", "Taras", "Ivan", "Bohdan"},
		[]string{"Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boiko", "Koval", "Oliinyk", "Lysenko"}},
	"so": {"so", []weight{{"black", 90}, {"another", 3}, {"not-disclosed", 7}}, 0.6,
		[]string{"Hodan", "Faadumo", "Ayaan", "Hibo", "Sahra", "Nimco", "Ubah", "Khadra", "Deeqa", "Ifrah"},
		[]string{"Abdi", "Mohamed", "Ahmed", "Hassan", "Abdirahman", "Yusuf", "Said", "Farah", "Liban", "Mahad"},
		[]string{"Warsame", "Farah", "Hussein", "Osman", "Jama", "Abdullahi", "Ali", "Aden", "Nur", "Egal"}},
	"sw": {"sw", []weight{{"black", 92}, {"not-disclosed", 8}}, 0.7,
		[]string{"Furaha", "Neema", "Imani", "Aminata", "Esperance", "Vumilia", "Zawadi", "Riziki", "Baraka", "Upendo"},
		[]string{"Jean", "Baraka", "Emmanuel", "Faustin", "Pascal", "Innocent", "Amani", "Bahati", "Eric", "Patrick"},
		[]string{"Mugisha", "Bizimana", "Habimana", "Ndayishimiye", "Kabila", "Mulumba", "Mwamba", "Kasongo", "Ilunga", "Nkurunziza"}},
	"fr": {"fr", []weight{{"black", 88}, {"another", 4}, {"not-disclosed", 8}}, 0.5,
		[]string{"Marie", "Josiane", "Claudine", "Nadège", "Mireille", "Ange", "Béatrice", "Solange"},
		[]string{"Jean-Baptiste", "Pierre", "Joseph", "Didier", "Olivier", "Christophe", "Thierry", "Serge"},
		[]string{"Mbuyi", "Lukusa", "Tshimanga", "Mukendi", "Kalala", "Joseph", "Pierre-Louis", "Jean"}},
	"my": {"my", []weight{{"asian", 94}, {"not-disclosed", 6}}, 0.8,
		[]string{"Aye", "Hla", "Khin", "Mya", "Nwe", "Thida", "Su", "Nang"},
		[]string{"Aung", "Kyaw", "Min", "Soe", "Thein", "Zaw", "Htun", "Naing"},
		[]string{"Win", "Oo", "Myint", "Tun", "Lwin", "Htay", "Maung", "Paw"}},
	"ne": {"ne", []weight{{"asian", 94}, {"not-disclosed", 6}}, 0.7,
		[]string{"Sita", "Gita", "Maya", "Sarita", "Bishnu", "Kamala", "Devi", "Laxmi"},
		[]string{"Ram", "Hari", "Bhim", "Krishna", "Dil", "Tika", "Chandra", "Bal"},
		[]string{"Gurung", "Rai", "Tamang", "Subba", "Adhikari", "Dahal", "Ghimire", "Pradhan"}},
	"ti": {"ti", []weight{{"black", 90}, {"not-disclosed", 10}}, 0.75,
		[]string{"Selam", "Helen", "Senait", "Mebrat", "Tsega", "Rahel", "Saba", "Yordanos"},
		[]string{"Tesfay", "Yonas", "Dawit", "Samuel", "Tekle", "Filmon", "Berhane", "Habtom"},
		[]string{"Tesfamariam", "Gebremedhin", "Haile", "Kidane", "Tekle", "Woldu", "Berhe", "Abraha"}},
	"vi": {"vi", []weight{{"asian", 94}, {"not-disclosed", 6}}, 0.4,
		[]string{"Lan", "Mai", "Huong", "Linh", "Thao", "Ngoc", "Trang", "Hanh"},
		[]string{"Minh", "Tuan", "Hung", "Long", "Quang", "Dung", "Thanh", "Hai"},
		[]string{"Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui"}},
}

// Program profiles: who a program serves, how large its households are, and
// what brings people in.
type programProfile struct {
	id, name, description string
	services              []string
	share                 float64  // of all cases
	langs                 []weight // language groups
	sizes                 []float64
	needs                 map[string]float64 // chance of each urgent need at intake
	sources               []weight
	spouse                float64 // chance a household of two or more includes the client's spouse or partner
}

var programs = []programProfile{
	{id: "resettlement", name: "Refugee resettlement", share: 0.45,
		description: "Reception and placement, then case management through the first year and beyond.",
		services:    []string{"reception and placement", "cultural orientation", "employment services", "school enrollment", "benefits application help"},
		langs:       []weight{{"ar", 18}, {"prs", 16}, {"ps", 6}, {"uk", 12}, {"so", 8}, {"sw", 12}, {"fr", 6}, {"my", 6}, {"ne", 4}, {"ti", 6}, {"es", 4}, {"en", 2}},
		sizes:       []float64{18, 14, 15, 17, 15, 11, 10},
		needs:       map[string]float64{"food": 0.35, "housing": 0.45, "medical": 0.12, "safety": 0.04},
		sources:     []weight{{"partner-agency", 70}, {"family-or-friend", 12}, {"self", 6}, {"faith-community", 8}, {"other", 4}},
		spouse:      0.7},
	{id: "housing", name: "Housing stability", share: 0.35,
		description: "Eviction prevention, rapid re-housing and housing search.",
		services:    []string{"housing search", "rental assistance", "landlord mediation", "budgeting help"},
		langs:       []weight{{"en", 62}, {"es", 25}, {"vi", 3}, {"so", 3}, {"ar", 3}, {"fr", 2}, {"uk", 2}},
		sizes:       []float64{38, 22, 17, 12, 6, 3, 2},
		needs:       map[string]float64{"food": 0.3, "housing": 0.75, "medical": 0.08, "safety": 0.08},
		sources:     []weight{{"hotline", 25}, {"walk-in", 20}, {"court", 12}, {"self", 15}, {"partner-agency", 15}, {"health-provider", 5}, {"faith-community", 4}, {"other", 4}},
		spouse:      0.45},
	{id: "family", name: "Family support", share: 0.20,
		description: "Home visiting and support for families with children.",
		services:    []string{"home visiting", "parenting support", "childcare referrals", "school liaison"},
		langs:       []weight{{"en", 50}, {"es", 30}, {"ar", 5}, {"vi", 4}, {"so", 4}, {"prs", 4}, {"sw", 3}},
		sizes:       []float64{3, 25, 27, 22, 12, 7, 4},
		needs:       map[string]float64{"food": 0.3, "housing": 0.2, "medical": 0.1, "safety": 0.15},
		sources:     []weight{{"school", 30}, {"health-provider", 25}, {"self", 15}, {"walk-in", 10}, {"partner-agency", 12}, {"family-or-friend", 8}},
		spouse:      0.55},
}

// person is one household member as the generator knows them.
type person struct {
	id           string // m1, m2, ...
	relationship string
	given        string
	family       string
	preferred    string
	dob          time.Time
	gender       string
	race         []string
	lang         string
	interpreter  bool
	disability   *bool
	veteran      *bool
}

// age is the person's age in whole years on a day.
func (p *person) age(on time.Time) int {
	years := on.Year() - p.dob.Year()
	if on.YearDay() < p.dob.YearDay() {
		years--
	}
	return years
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func pickWeighted(rng *rand.Rand, ws []weight) string {
	total := 0.0
	for _, w := range ws {
		total += w.w
	}
	x := rng.Float64() * total
	for _, w := range ws {
		if x < w.w {
			return w.v
		}
		x -= w.w
	}
	return ws[len(ws)-1].v
}

func pickIndex(rng *rand.Rand, ws []float64) int {
	total := 0.0
	for _, w := range ws {
		total += w
	}
	x := rng.Float64() * total
	for i, w := range ws {
		if x < w {
			return i
		}
		x -= w
	}
	return len(ws) - 1
}

func chance(rng *rand.Rand, p float64) bool { return rng.Float64() < p }

func between(rng *rand.Rand, lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + rng.IntN(hi-lo+1)
}

func boolPtr(b bool) *bool { return &b }

// household draws the members of a household for a program, the client
// (m1, relationship self) first.
func household(rng *rand.Rand, prog *programProfile, intake time.Time) []person {
	g := groups[pickWeighted(rng, prog.langs)]
	size := 1 + pickIndex(rng, prog.sizes)
	headAge := between(rng, 19, 44)
	switch r := rng.Float64(); {
	case r < 0.3:
		headAge = between(rng, 45, 64)
	case r < 0.36:
		headAge = between(rng, 65, 84)
	}
	if prog.id == "family" && headAge > 50 {
		headAge = between(rng, 20, 45)
	}
	headGender := pickWeighted(rng, []weight{{"woman", 56}, {"man", 41}, {"non-binary", 0.8}, {"transgender", 0.5}, {"questioning", 0.3}, {"another-identity", 0.2}, {"not-disclosed", 1.2}})
	race := []string{pickWeighted(rng, g.race)}
	if race[0] == "hispanic-latino" && chance(rng, 0.2) {
		race = append(race, "white")
	} else if race[0] == "black" && g.lang == "en" && chance(rng, 0.05) {
		race = append(race, "white")
	}
	family := pick(rng, g.family)
	head := newPerson(rng, g, "self", headAge, headGender, family, race, intake)
	if chance(rng, 0.1) {
		head.preferred = shortName(head.given)
	}
	members := []person{head}
	add := func(rel string, age int, gender string, family string, race []string) {
		p := newPerson(rng, g, rel, age, gender, family, race, intake)
		p.id = "m" + itoa(len(members)+1)
		members = append(members, p)
	}
	partner := size >= 2 && headAge < 80 && chance(rng, prog.spouse)
	if partner {
		rel := "spouse"
		if chance(rng, 0.3) {
			rel = "partner"
		}
		gender := "man"
		if headGender == "man" {
			gender = "woman"
		}
		if chance(rng, 0.04) {
			gender = headGender
		}
		fam := family
		if rel == "partner" || chance(rng, 0.3) {
			fam = pick(rng, g.family)
		}
		add(rel, max(18, headAge+between(rng, -6, 8)), gender, fam, race)
	}
	for len(members) < size {
		childMax := headAge - 16
		switch r := rng.Float64(); {
		case r < 0.78 && childMax >= 0:
			age := between(rng, 0, min(17, childMax))
			if headAge > 40 && chance(rng, 0.2) {
				age = between(rng, 18, min(26, headAge-17))
			}
			rel := "child"
			if partner && chance(rng, 0.1) {
				rel = "stepchild"
			}
			add(rel, age, pickWeighted(rng, []weight{{"woman", 49}, {"man", 49}, {"not-disclosed", 2}}), family, race)
		case r < 0.86 && headAge < 55:
			add("parent", headAge+between(rng, 18, 32), pickWeighted(rng, []weight{{"woman", 60}, {"man", 40}}), family, race)
		case r < 0.9 && headAge >= 50:
			add("grandchild", between(rng, 0, 15), pickWeighted(rng, []weight{{"woman", 50}, {"man", 50}}), family, race)
		case r < 0.95:
			add("sibling", max(16, headAge+between(rng, -10, 10)), pickWeighted(rng, []weight{{"woman", 50}, {"man", 50}}), family, race)
		case r < 0.98:
			add("other-relative", between(rng, 5, 70), pickWeighted(rng, []weight{{"woman", 50}, {"man", 50}}), pick(rng, g.family), race)
		default:
			add("non-relative", between(rng, 18, 60), pickWeighted(rng, []weight{{"woman", 50}, {"man", 50}}), pick(rng, g.family), []string{pickWeighted(rng, g.race)})
		}
	}
	return members
}

func newPerson(rng *rand.Rand, g *group, rel string, age int, gender, family string, race []string, intake time.Time) person {
	p := person{id: "m1", relationship: rel, family: family, gender: gender, race: slices.Clone(race), lang: g.lang}
	switch gender {
	case "woman":
		p.given = pick(rng, g.female)
	case "man":
		p.given = pick(rng, g.male)
	default:
		p.given = pick(rng, append(slices.Clone(g.female), g.male...))
	}
	days := rng.IntN(365)
	p.dob = intake.AddDate(-age-1, 0, days)
	if p.age(intake) != age {
		p.dob = intake.AddDate(-age, 0, -1-rng.IntN(300))
	}
	adult := age >= 18
	switch {
	case adult && chance(rng, g.interpreter):
		p.interpreter = true
	case !adult && age >= 12 && chance(rng, g.interpreter/4):
		p.interpreter = true
	}
	if g.lang != "en" && g.lang != "es" && age < 10 && chance(rng, 0.3) {
		p.lang = "en" // children born here, or schooled in English
	}
	disabled := 0.06
	if adult {
		disabled = 0.12
	}
	if age >= 65 {
		disabled = 0.3
	}
	if chance(rng, 0.85) { // disability status is sometimes not asked
		p.disability = boolPtr(chance(rng, disabled))
	}
	if adult && chance(rng, 0.8) {
		vet := 0.0
		if g.lang == "en" {
			vet = 0.02
			if gender == "man" {
				vet = 0.09
			}
		}
		p.veteran = boolPtr(chance(rng, vet))
	}
	if chance(rng, 0.03) {
		p.race = []string{"not-disclosed"}
	}
	return p
}

// shortName is a preferred name: a common short form, or the first
// syllables of the given name.
func shortName(given string) string {
	short := map[string]string{"Michael": "Mike", "Robert": "Bob", "Joseph": "Joe", "Jessica": "Jess", "Alejandro": "Alex", "Oleksandr": "Sasha",
		"Kateryna": "Katya", "Mohammed": "Mo", "Abdirahman": "Abdi", "Guadalupe": "Lupe", "Francisco": "Paco", "Anastasiia": "Nastya", "Zabihullah": "Zabi"}
	if s, ok := short[given]; ok {
		return s
	}
	r := []rune(given)
	if len(r) > 5 {
		return string(r[:4])
	}
	return strings.ToUpper(string(r[:1])) + string(r[1:])
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
