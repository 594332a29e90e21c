package gen

// The words the generator writes into documents. Everything here is
// invented, generic and free of personal data.

// goalTemplate is a goal for one life domain (an instrument domain id),
// written SMART (text, measure, target, due in days, owner) with the tasks
// that usually serve it, and a vague way to say the same thing, as a first
// draft often does.
type goalTemplate struct {
	domain  string
	text    string
	measure string
	target  string
	days    int
	owner   string // client, worker or partner
	tasks   []taskTemplate
	vague   string
}

type taskTemplate struct {
	text  string
	owner string
	days  int
}

var goalTemplates = []goalTemplate{
	{"housing", "Move into stable rental housing the household can afford", "signed lease for a unit within the budget", "lease signed and keys received", 90, "client",
		[]taskTemplate{{"Complete two rental applications", "client", 21}, {"Gather proof of income and identity documents", "client", 14}, {"Request a rental assistance voucher", "worker", 10}}, "Find somewhere better to live"},
	{"housing", "Keep the current apartment and stop the eviction", "rent arrears paid or on a payment plan", "no arrears at the next court date", 60, "worker",
		[]taskTemplate{{"Apply for emergency rental assistance", "worker", 7}, {"Attend the mediation session with the landlord", "client", 30}}, "Sort out the problem with the landlord"},
	{"employment", "Start paid work", "hours of paid work per week", "at least 20 hours a week for a month", 120, "client",
		[]taskTemplate{{"Write a résumé with the job coach", "partner", 21}, {"Apply to five jobs", "client", 45}, {"Attend a job fair", "client", 30}}, "Get a job"},
	{"income", "Receive the public benefits the household is eligible for", "benefit applications approved", "food and health coverage approved", 60, "worker",
		[]taskTemplate{{"Submit the food assistance application", "worker", 14}, {"Book the benefits interview", "client", 21}}, "Sort out benefits"},
	{"income", "Follow a monthly household budget", "months ending without new debt", "three months in a row", 120, "client",
		[]taskTemplate{{"Attend the budgeting workshop", "client", 30}, {"Open a bank account", "client", 21}}, "Manage money better"},
	{"education", "Enroll every school-age child in school", "children enrolled and attending", "all school-age children attending", 30, "worker",
		[]taskTemplate{{"Collect vaccination records", "client", 10}, {"Meet the school enrollment office", "worker", 21}}, "Help with school"},
	{"language", "Build English for daily life", "English classes attended per month", "eight classes a month for three months", 120, "client",
		[]taskTemplate{{"Register for English classes", "worker", 14}, {"Attend the placement test", "client", 21}}, "Learn English"},
	{"physical-health", "Have a primary care doctor and attend a first check-up", "first appointment attended", "check-up done for every member", 60, "client",
		[]taskTemplate{{"Register with the community clinic", "worker", 14}, {"Book the first appointment", "client", 21}}, "Look after health"},
	{"mental-health", "Receive counseling for stress and sleep problems", "counseling sessions attended", "six sessions attended", 90, "partner",
		[]taskTemplate{{"Complete the counseling intake", "client", 21}, {"Check in after the third session", "worker", 60}}, "Feel better"},
	{"childcare", "Secure reliable childcare on work days", "days a week covered by childcare", "every work day covered", 60, "client",
		[]taskTemplate{{"Apply for a childcare subsidy", "worker", 14}, {"Visit two childcare centers", "client", 30}}, "Find help with the children"},
	{"legal", "Resolve the pending legal matter", "hearings attended with legal help", "case resolved or on a clear path", 150, "partner",
		[]taskTemplate{{"Meet the legal aid attorney", "client", 21}, {"Gather the documents the attorney asked for", "client", 30}}, "Deal with the legal problem"},
	{"transportation", "Get around without missing appointments", "appointments missed for lack of transport", "none missed in a month", 45, "client",
		[]taskTemplate{{"Apply for a reduced-fare transit card", "worker", 10}, {"Practise the bus route to work", "client", 21}}, "Sort out transport"},
	{"food", "Have enough food every week", "weeks with enough food for everyone", "four weeks in a row", 30, "client",
		[]taskTemplate{{"Register with the food pantry", "worker", 7}, {"Apply for food assistance", "worker", 14}}, "Have more food"},
	{"safety", "Have a safety plan and a safe place to stay", "safety plan written and reviewed", "plan in place and reviewed monthly", 21, "worker",
		[]taskTemplate{{"Write the safety plan together", "worker", 7}, {"Connect with the domestic violence advocate", "partner", 14}}, "Be safe"},
	{"support-system", "Build a circle of support in the community", "community activities attended per month", "two activities a month", 90, "client",
		[]taskTemplate{{"Visit the community center's welcome group", "client", 30}, {"Meet a volunteer mentor", "partner", 45}}, "Meet people"},
	{"substance-use", "Reduce drinking and stay in treatment", "treatment sessions attended", "weekly sessions for two months", 90, "partner",
		[]taskTemplate{{"Complete the treatment assessment", "client", 14}, {"Join a peer support group", "client", 30}}, "Cut down"},
}

var supportKinds = []weight{{"family", 35}, {"friend", 25}, {"faith-community", 15}, {"neighbour", 10}, {"mentor", 6}, {"volunteer", 6}, {"other", 3}}

var supportDescriptions = map[string][]string{
	"family":          {"A cousin in the same city", "An aunt who visits on weekends", "The client's sister, by phone"},
	"friend":          {"A friend from the language class", "A former co-worker", "A neighbour from the old building"},
	"faith-community": {"The mosque's welcome committee", "The church food ministry", "A temple volunteer group"},
	"neighbour":       {"The family next door", "A neighbour who drives"},
	"mentor":          {"A mentor from the welcome program"},
	"volunteer":       {"A volunteer tutor", "A volunteer driver"},
	"other":           {"A sports club coach"},
}

var agreementRoles = struct{ worker, client, org []string }{
	worker: []string{
		"Meet regularly, make and follow up referrals, and help with applications.",
		"Coordinate services, keep in contact at the agreed frequency and advocate with partners.",
		"Help find housing and work, and check progress on the plan every month.",
	},
	client: []string{
		"Attend appointments or call ahead, bring documents, and work on the agreed tasks.",
		"Take part in planning, tell the worker about changes, and follow through on referrals.",
		"Keep in touch, try the steps agreed, and say when something is not working.",
	},
	org: []string{
		"Provide case management, interpreters when needed, and emergency help during opening hours.",
		"Offer the program's services, keep records confidential, and answer complaints promptly.",
	},
}

// Note text, by note type.
var noteTexts = map[string][]string{
	"office-visit": {
		"Met at the office to review the plan; progress discussed and next steps agreed.",
		"Office visit to complete forms together; copies of documents taken for the file.",
		"Client came in to talk about a letter they received; explained it and agreed what to do.",
		"Reviewed the budget together and updated the task list.",
	},
	"home-visit": {
		"Home visit; the household is settling in and the children are well.",
		"Visited at home to check on the repairs the landlord promised; some are still outstanding.",
		"Home visit with the family; reviewed goals and celebrated a completed task.",
	},
	"phone": {
		"Phone check-in; no new concerns, appointment next week confirmed.",
		"Called to remind the client of tomorrow's appointment.",
		"Client called with a question about the benefits letter; explained next steps.",
		"Phone call to follow up on the job applications; two interviews booked.",
		"Left a message asking the client to call back.",
	},
	"message": {
		"Texted the address and time of the clinic appointment.",
		"Client sent photos of the documents requested; received and filed.",
		"Message exchange to reschedule the visit.",
	},
	"service": {
		"Accompanied the client to the appointment and helped with interpretation of the forms.",
		"Delivered the household goods package.",
		"Provided transport to the benefits office.",
		"Helped complete and submit the application online.",
	},
	"incident": {
		"Client reported feeling unsafe at home; safety plan reviewed and the supervisor informed.",
		"Missed three appointments in a row; supervisor consulted about next steps.",
		"Client reported a fall at home; advised to seek care and followed up the next day.",
	},
	"collateral": {
		"Spoke with the school counselor about attendance, with the client's consent.",
		"Called the partner agency to check the referral was received.",
		"Talked with the landlord about the repair schedule, as the client asked.",
	},
}

var correctionText = "Correction to the earlier note: the appointment date recorded there was wrong; the right date is in this note's follow-up."

var interviewFeedback = []string{
	"Found the help with housing most useful; would have liked more evening appointments.",
	"Felt listened to; the interpreter made a real difference.",
	"Happy with the support; wished the benefits process had been faster.",
	"Liked having one person to call; the referrals were well chosen.",
	"Mixed: employment help was good, but waiting times were long.",
}

var resourcesGiven = []string{
	"List of food pantries and their hours",
	"Tenant rights leaflet",
	"Emergency numbers card",
	"Free clinic directory",
	"English conversation group schedule",
	"Budgeting workbook",
	"Transit map with the routes to work",
}

var continuingServices = []string{"drop-in hours", "English conversation group", "tax filing help", "holiday food drive", "alumni support group"}

var futureContactPlans = []string{
	"The client may call or walk in at any time; we will check in at one and three months.",
	"Follow-up calls at one and three months; the client knows the drop-in hours.",
	"The client will contact us if anything changes; we will call once in a month.",
}

var reasonNotes = map[string][]string{
	"goals-met":           {"Goals reached; the household is stable."},
	"moved":               {"The family moved to another state to join relatives."},
	"declined-services":   {"Client decided not to continue with the program."},
	"ineligible-referred": {"Not eligible for this program; referred to a partner who can help."},
	"lost-contact":        {"No response to calls, messages or a letter for two months."},
	"transferred":         {"Transferred to a program better suited to the family's needs."},
	"deceased":            {"Case closed following the client's death."},
	"other":               {"Closed at the client's request after a change in circumstances."},
}

var ineligibleReasons = []string{
	"Income above the program's limit.",
	"Lives outside the service area.",
	"Needs a service this program does not offer.",
}

var medicalHistory = []string{"No chronic conditions reported.", "Diabetes, managed with medication.", "High blood pressure; needs a regular doctor.", "Recovering from surgery last year.", "Asthma in one of the children."}
var psychHistory = []string{"Reports stress and poor sleep since moving.", "No concerns reported.", "Past counseling, would like to resume.", "Signs of anxiety; open to support."}
var socialHistory = []string{"Arrived recently; few contacts locally.", "Close to extended family nearby.", "Recently separated; sole carer of the children.", "Active in a faith community."}

var strengths = []string{
	"Motivated to work", "Strong family bonds", "Speaks three languages", "Good at budgeting", "Experience as a mechanic",
	"Supportive neighbours", "Keeps appointments", "Finished secondary school", "Resourceful and determined", "Cares well for the children",
}

var clientViews = []string{
	"Wants a stable home before anything else.",
	"Work comes first; the rest can wait.",
	"Worried about the children's schooling.",
	"Feels things are getting better.",
	"Needs help understanding the letters that arrive.",
}

var streets = []string{"Maple", "Oak", "Cedar", "River", "Lincoln", "Washington", "Park", "Hill", "Lake", "Franklin", "Elm", "Pine"}
