package casefile

// Typed views of the documents. They are read from the checked node tree and
// never written back: commands change documents by editing the node tree
// (see yamlx), so the comments and key order a person wrote survive. Field
// meanings are documented in the JSON Schemas under schema/.

// Case is case.yaml.
type Case struct {
	ID           string        `yaml:"id"`
	Program      string        `yaml:"program"`
	Worker       string        `yaml:"worker"`
	Opened       string        `yaml:"opened"`
	Stage        string        `yaml:"stage"`
	StageHistory []StageMove   `yaml:"stage-history"`
	Level        string        `yaml:"level"`
	LevelHistory []LevelChange `yaml:"level-history"`
	Risk         *RiskRecord   `yaml:"risk"`
}

// StageMove is one entry of a case's stage history.
type StageMove struct {
	From   string   `yaml:"from"`
	To     string   `yaml:"to"`
	At     string   `yaml:"at"`
	By     string   `yaml:"by"`
	Forced bool     `yaml:"forced"`
	Guards []string `yaml:"guards"`
	Reason string   `yaml:"reason"`
}

// LevelChange is one entry of a case's level history.
type LevelChange struct {
	Level     string `yaml:"level"`
	At        string `yaml:"at"`
	By        string `yaml:"by"`
	Source    string `yaml:"source"` // risk or override
	RiskLevel string `yaml:"risk-level"`
	Reason    string `yaml:"reason"`
}

// RiskRecord is the recorded risk of a case.
type RiskRecord struct {
	Score        float64  `yaml:"score"`
	Level        string   `yaml:"level"`
	RedFlags     []string `yaml:"red-flags"`
	ModelVersion string   `yaml:"model-version"`
	InputsDigest string   `yaml:"inputs-digest"`
	At           string   `yaml:"at"`
	By           string   `yaml:"by"`
}

// Intake is intake.yaml.
type Intake struct {
	Date           string        `yaml:"date"`
	Worker         string        `yaml:"worker"`
	ReferralSource string        `yaml:"referral-source"`
	Household      []Member      `yaml:"household"`
	Contact        Contact       `yaml:"contact"`
	UrgentNeeds    []string      `yaml:"urgent-needs"`
	History        History       `yaml:"history"`
	Eligibility    []Eligibility `yaml:"eligibility"`
	Consent        Consent       `yaml:"consent"`
	Orientation    Orientation   `yaml:"orientation"`
}

// Client returns the member with relationship self (the head of household),
// or the first member.
func (in *Intake) Client() *Member {
	for i := range in.Household {
		if in.Household[i].Relationship == "self" {
			return &in.Household[i]
		}
	}
	if len(in.Household) > 0 {
		return &in.Household[0]
	}
	return nil
}

// Member returns the household member with the id, or nil.
func (in *Intake) Member(id string) *Member {
	for i := range in.Household {
		if in.Household[i].ID == id {
			return &in.Household[i]
		}
	}
	return nil
}

// Eligible reports whether the intake records an eligible decision for the
// program.
func (in *Intake) Eligible(program string) bool {
	for _, e := range in.Eligibility {
		if e.Program == program && e.Eligible {
			return true
		}
	}
	return false
}

// Member is one household member.
type Member struct {
	ID                string   `yaml:"id"`
	Relationship      string   `yaml:"relationship"`
	Name              Name     `yaml:"name"`
	DOB               string   `yaml:"dob"`
	Gender            string   `yaml:"gender"`
	RaceEthnicity     []string `yaml:"race-ethnicity"`
	Language          string   `yaml:"language"`
	InterpreterNeeded *bool    `yaml:"interpreter-needed"`
	Disability        *bool    `yaml:"disability"`
	Veteran           *bool    `yaml:"veteran"`
}

// Name is a member's name.
type Name struct {
	Given     string `yaml:"given"`
	Family    string `yaml:"family"`
	Preferred string `yaml:"preferred"`
}

// Contact holds contact details and whether it is safe to use them.
type Contact struct {
	Phone              string `yaml:"phone"`
	SafeToCall         *bool  `yaml:"safe-to-call"`
	SafeToLeaveMessage *bool  `yaml:"safe-to-leave-message"`
	Email              string `yaml:"email"`
	Address            string `yaml:"address"`
	Preferred          string `yaml:"preferred"`
}

// History is the brief history taken at intake.
type History struct {
	Medical       string `yaml:"medical"`
	Psychological string `yaml:"psychological"`
	Social        string `yaml:"social"`
}

// Eligibility is a decision for one program.
type Eligibility struct {
	Program         string       `yaml:"program"`
	Eligible        bool         `yaml:"eligible"`
	Decided         string       `yaml:"decided"`
	By              string       `yaml:"by"`
	InterpreterUsed *bool        `yaml:"interpreter-used"`
	Reason          string       `yaml:"reason"`
	ReferralOut     *ReferralOut `yaml:"referral-out"`
}

// ReferralOut is a referral to another organization.
type ReferralOut struct {
	Provider    string `yaml:"provider"`
	Service     string `yaml:"service"`
	Description string `yaml:"description"`
	Date        string `yaml:"date"`
}

// Consent records consent to services and to sharing information.
type Consent struct {
	Services *ServiceConsent  `yaml:"services"`
	Sharing  []SharingConsent `yaml:"sharing"`
}

// ServiceConsent is consent to receive services.
type ServiceConsent struct {
	Given   bool   `yaml:"given"`
	Date    string `yaml:"date"`
	Expires string `yaml:"expires"`
}

// SharingConsent is consent to share information with one partner.
type SharingConsent struct {
	Partner string `yaml:"partner"`
	Scope   string `yaml:"scope"`
	Date    string `yaml:"date"`
	Expires string `yaml:"expires"`
}

// Orientation records what was explained at first contact.
type Orientation struct {
	Date                  string `yaml:"date"`
	ServicesExplained     *bool  `yaml:"services-explained"`
	RolesExplained        *bool  `yaml:"roles-explained"`
	HoursExplained        *bool  `yaml:"hours-explained"`
	AppointmentsExplained *bool  `yaml:"appointments-explained"`
	EmergencyExplained    *bool  `yaml:"emergency-explained"`
	InterpreterUsed       *bool  `yaml:"interpreter-used"`
}

// Interpreter records whether an interpreter took part, and the language.
type Interpreter struct {
	Used     bool   `yaml:"used"`
	Language string `yaml:"language"`
}

// Assessment is one assessments/<date>-<member>.yaml.
type Assessment struct {
	Member            string       `yaml:"member"`
	Instrument        string       `yaml:"instrument"`
	InstrumentVersion int          `yaml:"instrument-version"`
	Date              string       `yaml:"date"`
	Assessor          string       `yaml:"assessor"`
	Interpreter       *Interpreter `yaml:"interpreter"`
	Answers           Answers      `yaml:"answers"`
	Strengths         []string     `yaml:"strengths"`
	Priorities        []string     `yaml:"priorities"`
	ClientView        string       `yaml:"client-view"`
}

// Plan is plan.yaml.
type Plan struct {
	Meeting   *Meeting   `yaml:"meeting"`
	Goals     []Goal     `yaml:"goals"`
	Tasks     []Task     `yaml:"tasks"`
	Referrals []Referral `yaml:"referrals"`
	Supports  []Support  `yaml:"supports"`
	Agreement *Agreement `yaml:"agreement"`
}

// Goal returns the goal with the id, or nil.
func (p *Plan) Goal(id string) *Goal {
	for i := range p.Goals {
		if p.Goals[i].ID == id {
			return &p.Goals[i]
		}
	}
	return nil
}

// Meeting is the planning meeting.
type Meeting struct {
	Date        string       `yaml:"date"`
	Interpreter *Interpreter `yaml:"interpreter"`
}

// Goal is one goal of a plan.
type Goal struct {
	ID          string `yaml:"id"`
	Domain      string `yaml:"domain"`
	Text        string `yaml:"text"`
	Measure     string `yaml:"measure"`
	Target      string `yaml:"target"`
	Due         string `yaml:"due"`
	Owner       string `yaml:"owner"`
	Partner     string `yaml:"partner"`
	Status      string `yaml:"status"`
	ClientChose *bool  `yaml:"client-chose"`
	Created     string `yaml:"created"`
}

// Task is one task under a goal.
type Task struct {
	ID      string `yaml:"id"`
	Goal    string `yaml:"goal"`
	Text    string `yaml:"text"`
	Owner   string `yaml:"owner"`
	Partner string `yaml:"partner"`
	Due     string `yaml:"due"`
	Status  string `yaml:"status"`
	Done    string `yaml:"done"`
}

// Referral is one referral to a provider's service.
type Referral struct {
	ID       string           `yaml:"id"`
	Provider string           `yaml:"provider"`
	Service  string           `yaml:"service"`
	Goal     string           `yaml:"goal"`
	Sent     string           `yaml:"sent"`
	Status   string           `yaml:"status"`
	History  []ReferralStatus `yaml:"history"`
	Outcome  string           `yaml:"outcome"`
}

// Closed reports whether the referral's loop is closed: it was completed,
// declined or the client did not show.
func (r *Referral) Closed() bool {
	return r.Status == "completed" || r.Status == "declined" || r.Status == "no-show"
}

// ReferralStatus is one status of a referral with its date.
type ReferralStatus struct {
	Status string `yaml:"status"`
	Date   string `yaml:"date"`
}

// Support is an informal support.
type Support struct {
	Kind        string   `yaml:"kind"`
	Description string   `yaml:"description"`
	CanHelpWith []string `yaml:"can-help-with"`
}

// Agreement is what each party undertakes, and the signatures.
type Agreement struct {
	WorkerRole            string     `yaml:"worker-role"`
	ClientRole            string     `yaml:"client-role"`
	OrganizationRole      string     `yaml:"organization-role"`
	ExpectationsDiscussed *bool      `yaml:"expectations-discussed"`
	Signed                Signatures `yaml:"signed"`
}

// Signatures holds the dates client and worker signed.
type Signatures struct {
	Client string `yaml:"client"`
	Worker string `yaml:"worker"`
}

// Both reports whether client and worker both signed.
func (s Signatures) Both() bool { return s.Client != "" && s.Worker != "" }

// Note is one notes/<timestamp>-<suffix>.yaml.
type Note struct {
	At           string       `yaml:"at"`
	Author       string       `yaml:"author"`
	Type         string       `yaml:"type"`
	Minutes      int          `yaml:"minutes"`
	Interpreter  *Interpreter `yaml:"interpreter"`
	Goals        []string     `yaml:"goals"`
	Referral     string       `yaml:"referral"`
	Service      *NoteService `yaml:"service"`
	FollowUp     bool         `yaml:"follow-up"`
	Feedback     *Feedback    `yaml:"feedback"`
	Text         string       `yaml:"text"`
	Corrects     string       `yaml:"corrects"`
	Confidential bool         `yaml:"confidential"`
}

// NoteService is a service delivered.
type NoteService struct {
	Provider string `yaml:"provider"`
	Service  string `yaml:"service"`
}

// Feedback is client feedback asked for during a contact.
type Feedback struct {
	Structured   bool `yaml:"structured"`
	Satisfaction int  `yaml:"satisfaction"`
}

// Closure is closure.yaml.
type Closure struct {
	Date               string              `yaml:"date"`
	Reason             string              `yaml:"reason"`
	ReasonNote         string              `yaml:"reason-note"`
	Destination        string              `yaml:"destination"`
	Goals              []GoalReview        `yaml:"goals"`
	Interview          *Interview          `yaml:"interview"`
	ResourcesGiven     []string            `yaml:"resources-given"`
	ReferralsOut       []ReferralOut       `yaml:"referrals-out"`
	ContinuingServices *ContinuingServices `yaml:"continuing-services"`
	FutureContact      *FutureContact      `yaml:"future-contact"`
	FollowUp           []CheckIn           `yaml:"follow-up"`
}

// GoalReview is the result of one goal at closure.
type GoalReview struct {
	Goal   string `yaml:"goal"`
	Result string `yaml:"result"`
	Note   string `yaml:"note"`
}

// Interview is the close-out interview.
type Interview struct {
	Held          bool   `yaml:"held"`
	Date          string `yaml:"date"`
	ToldInAdvance *bool  `yaml:"told-in-advance"`
	Feedback      string `yaml:"feedback"`
	Satisfaction  int    `yaml:"satisfaction"`
}

// ContinuingServices records the organization's own services mentioned at
// closure.
type ContinuingServices struct {
	Discussed bool     `yaml:"discussed"`
	Services  []string `yaml:"services"`
	Referred  *bool    `yaml:"referred"`
}

// FutureContact is the signed plan for future contact.
type FutureContact struct {
	Plan   string     `yaml:"plan"`
	Signed Signatures `yaml:"signed"`
}

// CheckIn is one follow-up check-in after closure.
type CheckIn struct {
	Due     string `yaml:"due"`
	Done    string `yaml:"done"`
	Outcome string `yaml:"outcome"`
}

// Providers is providers.yaml.
type Providers struct {
	Providers []Provider `yaml:"providers"`
}

// Provider returns the provider with the id, or nil.
func (p *Providers) Provider(id string) *Provider {
	for i := range p.Providers {
		if p.Providers[i].ID == id {
			return &p.Providers[i]
		}
	}
	return nil
}

// Provider is one partner organization.
type Provider struct {
	ID        string          `yaml:"id"`
	Name      string          `yaml:"name"`
	Services  []Service       `yaml:"services"`
	Languages []string        `yaml:"languages"`
	Contact   ProviderContact `yaml:"contact"`
	Address   string          `yaml:"address"`
	Hours     string          `yaml:"hours"`
	Website   string          `yaml:"website"`
}

// Service returns the provider's service with the id, or nil.
func (p *Provider) Service(id string) *Service {
	for i := range p.Services {
		if p.Services[i].ID == id {
			return &p.Services[i]
		}
	}
	return nil
}

// Service is one service a provider offers.
type Service struct {
	ID          string `yaml:"id"`
	Name        string `yaml:"name"`
	Domain      string `yaml:"domain"`
	Eligibility string `yaml:"eligibility"`
}

// ProviderContact is a provider's contact person.
type ProviderContact struct {
	Person string `yaml:"person"`
	Phone  string `yaml:"phone"`
	Email  string `yaml:"email"`
}

// Attestations is program/maturity.yaml.
type Attestations struct {
	Attestations []Attestation `yaml:"attestations"`
}

// Attestation is one attested maturity item.
type Attestation struct {
	Item    string `yaml:"item"`
	Ticked  bool   `yaml:"ticked"`
	By      string `yaml:"by"`
	Date    string `yaml:"date"`
	Program string `yaml:"program"`
	Comment string `yaml:"comment"`
}

// IsTrue reports whether an optional boolean is set and true.
func IsTrue(b *bool) bool { return b != nil && *b }
