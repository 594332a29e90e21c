package casefile

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"sync"
)

// fromValue fills a typed view (dst, settable) from a document's plain
// value (see yamlx.Value) by the fields' yaml tags. It serves documents
// that fit their schema, whose values have the types the views expect;
// any mismatch is an error and the caller decodes the node tree instead.
// Decoding the node tree again costs about a fifth of parsing a document,
// and validate does it for every document of the caseload.
func fromValue(dst reflect.Value, v any) error {
	if v == nil {
		dst.SetZero()
		return nil
	}
	if dst.CanAddr() {
		if s, ok := dst.Addr().Interface().(valueSetter); ok {
			return s.setValue(v)
		}
	}
	switch dst.Kind() {
	case reflect.Pointer:
		p := reflect.New(dst.Type().Elem())
		if err := fromValue(p.Elem(), v); err != nil {
			return err
		}
		dst.Set(p)
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return errMismatch
		}
		fields := fieldsOf(dst.Type())
		for k, x := range m {
			if i, ok := fields[k]; ok {
				if err := fromValue(dst.Field(i), x); err != nil {
					return err
				}
			}
		}
	case reflect.Slice:
		s, ok := v.([]any)
		if !ok {
			return errMismatch
		}
		out := reflect.MakeSlice(dst.Type(), len(s), len(s))
		for i, x := range s {
			if err := fromValue(out.Index(i), x); err != nil {
				return err
			}
		}
		dst.Set(out)
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok || dst.Type().Key().Kind() != reflect.String {
			return errMismatch
		}
		out := reflect.MakeMapWithSize(dst.Type(), len(m))
		for k, x := range m {
			e := reflect.New(dst.Type().Elem()).Elem()
			if err := fromValue(e, x); err != nil {
				return err
			}
			out.SetMapIndex(reflect.ValueOf(k).Convert(dst.Type().Key()), e)
		}
		dst.Set(out)
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			return errMismatch
		}
		dst.SetString(s)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			return errMismatch
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var i int64
		switch x := v.(type) {
		case int64:
			i = x
		case float64:
			if x != math.Trunc(x) || x < math.MinInt64 || x > math.MaxInt64 {
				return errMismatch
			}
			i = int64(x)
		default:
			return errMismatch
		}
		if dst.OverflowInt(i) {
			return errMismatch
		}
		dst.SetInt(i)
	case reflect.Float32, reflect.Float64:
		switch x := v.(type) {
		case int64:
			dst.SetFloat(float64(x))
		case float64:
			dst.SetFloat(x)
		default:
			return errMismatch
		}
	case reflect.Interface:
		dst.Set(reflect.ValueOf(v))
	default:
		return errMismatch
	}
	return nil
}

var errMismatch = errors.New("value does not fit the typed view")

// valueSetter is implemented by views that take a plain value as it is
// (answers, red-flag answers).
type valueSetter interface{ setValue(any) error }

func (a *Answers) setValue(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return errMismatch
	}
	*a = m
	return nil
}

func (x *Values) setValue(v any) error {
	s, ok := v.([]any)
	if !ok {
		return errMismatch
	}
	*x = s
	return nil
}

var fieldCache sync.Map // reflect.Type -> map[string]int

// fieldsOf maps a struct's yaml keys to its field indexes.
func fieldsOf(t reflect.Type) map[string]int {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]int)
	}
	fields := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fields[name] = i
	}
	fieldCache.Store(t, fields)
	return fields
}
