package subscriberio_test

import (
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/subscriberio"
)

func TestDetectLayout(t *testing.T) {
	tests := []struct {
		want, header string
	}{
		{"mailchimp", "\ufeffEmail Address,First Name,Last Name,Address,Phone Number,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS"},
		{"mailchimp", "Email Address,First Name,Last Name,OPTIN_TIME,UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_REASON"},
		{"substack", "email,active_subscription,expiry,plan,email_disabled,created_at,first_payment_at"},
		{"substack", " Email , email_disabled, created_at"},
		{"ghost", "id,email,name,note,subscribed_to_emails,complimentary_plan,stripe_customer_id,created_at,deleted_at,labels,tiers"},
		{"listmonk", "uuid,email,name,attributes,status,created_at,updated_at"},
		{"listmonk", "name,Status,EMAIL,Attributes"},
		{"plain", "email,name"},
		{"plain", "Name,E-Mail"},
		{"plain", "email_address"},
		{"plain", "email,name,created_at"},
	}
	for _, tt := range tests {
		got, err := subscriberio.DetectLayout(strings.Split(tt.header, ","))
		if err != nil || got != tt.want {
			t.Errorf("DetectLayout(%q) = %q, %v; want %q", tt.header, got, err, tt.want)
		}
	}
}

func TestDetectLayoutUnknown(t *testing.T) {
	_, err := subscriberio.DetectLayout([]string{"\ufeffAddress", " Full Name ", "Phone"})
	if herald.ErrorCode(err) != herald.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	msg := herald.ErrorMessage(err)
	for _, want := range []string{`"Address", "Full Name", "Phone"`, `"Email Address"`, `"email"`, `"e-mail"`, `"email_address"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not name %s", msg, want)
		}
	}
}
