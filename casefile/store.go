package casefile

// store is filled in when the commit engine lands.
type store interface{}
