package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"go.yaml.in/yaml/v3"
)

// openapiYAML is the API's description, written by hand next to the code
// and held to the route table by a test.
//
//go:embed openapi.yaml
var openapiYAML []byte

var openapiJSON = sync.OnceValues(func() ([]byte, error) {
	var doc any
	if err := yaml.Unmarshal(openapiYAML, &doc); err != nil {
		return nil, fmt.Errorf("api: openapi.yaml: %w", err)
	}
	return json.MarshalIndent(doc, "", "  ")
})

// OpenAPI returns the OpenAPI 3.1 document as JSON.
func OpenAPI() ([]byte, error) { return openapiJSON() }

// openAPI: GET /api/v1/openapi.json, no token needed.
func (h *Handler) openAPI(w http.ResponseWriter, _ *http.Request, _ *caller) error {
	doc, err := openapiJSON()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(doc)
	return nil
}
