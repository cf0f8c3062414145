package standin_test

import (
	"testing"
)

// TestUbuntu1604ByRegion looks Canonical's Ubuntu 16.04 image up as the
// installer does: it exists in the regions opened before Canonical's last
// 16.04 image, and in none opened after.
func TestUbuntu1604ByRegion(t *testing.T) {
	const noResults = "Your query returned no results. Please change your search criteria and try again."
	for _, tc := range []struct {
		region, owner string
		found         bool
	}{
		{"eu-central-1", "099720109477", true},
		{"us-east-1", "099720109477", true},
		{"ap-southeast-2", "099720109477", true}, // Sydney, 2012
		{"af-south-1", "099720109477", true},     // Cape Town, 2020
		{"us-gov-west-1", "513442679011", true},
		{"cn-northwest-1", "837727238323", true},
		{"ap-southeast-3", "099720109477", false}, // Jakarta, 2021-12-13, after the last image
		{"me-central-1", "099720109477", false},
		{"eu-central-2", "099720109477", false},
		{"eu-south-2", "099720109477", false},
		{"ap-south-2", "099720109477", false},
		{"ap-southeast-4", "099720109477", false},
		{"il-central-1", "099720109477", false},
		{"ca-west-1", "099720109477", false},
		{"ap-southeast-5", "099720109477", false},
		{"ap-southeast-7", "099720109477", false},
		{"mx-central-1", "099720109477", false},
		{"ap-east-2", "099720109477", false},
		{"ap-southeast-6", "099720109477", false},
	} {
		t.Run(tc.region, func(t *testing.T) {
			h := newHarness(t, tc.region)
			img, err := h.invoke("aws:ec2/getAmi:getAmi", map[string]any{
				"owners": []string{tc.owner}, "mostRecent": true, "includeDeprecated": true,
				"filters": []any{
					map[string]any{"name": "name", "values": []string{"ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"}},
					map[string]any{"name": "architecture", "values": []string{"x86_64"}},
					map[string]any{"name": "virtualization-type", "values": []string{"hvm"}},
				}})
			if !tc.found {
				if err == nil {
					t.Fatalf("found %s, expected no Canonical 16.04 image in %s", img["id"].StringValue(), tc.region)
				}
				wantErr(t, err, noResults)
				// Another image, given by id, is still found there.
				other, err := h.invoke("aws:ec2/getAmi:getAmi", map[string]any{
					"filters": []any{map[string]any{"name": "image-id", "values": []string{ami}}}})
				if err != nil || other["id"].StringValue() != ami {
					t.Errorf("image %s in %s: %v, %v; expected it found", ami, tc.region, other, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("expected Canonical's 16.04 image in %s, got %v", tc.region, err)
			}
			id := img["id"].StringValue()
			// Its id is found by id, as the installer's configured ids are.
			byID, err := h.invoke("aws:ec2/getAmi:getAmi", map[string]any{"includeDeprecated": true,
				"filters": []any{map[string]any{"name": "image-id", "values": []string{id}}}})
			if err != nil || byID["id"].StringValue() != id {
				t.Errorf("image %s by id: %v, %v; expected it found", id, byID, err)
			}
		})
	}
}

// TestUbuntu1604IDInNewRegion: Canonical's image id of the partition is not
// found by id in a region without the image.
func TestUbuntu1604IDInNewRegion(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	img, err := h.invoke("aws:ec2/getAmi:getAmi", map[string]any{"owners": []string{"099720109477"}, "mostRecent": true, "includeDeprecated": true})
	if err != nil {
		t.Fatal(err)
	}
	id := img["id"].StringValue()
	h = newHarness(t, "ap-southeast-4")
	_, err = h.invoke("aws:ec2/getAmi:getAmi", map[string]any{"includeDeprecated": true,
		"filters": []any{map[string]any{"name": "image-id", "values": []string{id}}}})
	wantErr(t, err, "Your query returned no results")
}
