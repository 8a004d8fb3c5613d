package normalize

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxIdentifierLen bounds opaque identifiers and social handles; real ones (UUIDs,
// cookie values, card numbers) are far shorter, longer values are pasted junk.
const maxIdentifierLen = 200

// socialPlatforms maps accepted platform names, and a few everyday aliases, to the
// canonical platform of a social handle. Twitter is now X; one account, one key.
var socialPlatforms = map[string]string{
	"wechat": "wechat", "weixin": "wechat", "微信": "wechat",
	"weibo": "weibo", "微博": "weibo",
	"instagram": "instagram", "ig": "instagram",
	"facebook": "facebook", "fb": "facebook",
	"x": "x", "twitter": "x",
	"tiktok": "tiktok", "douyin": "douyin", "抖音": "douyin",
	"xiaohongshu": "xiaohongshu", "小红书": "xiaohongshu", "rednote": "xiaohongshu",
	"line": "line", "whatsapp": "whatsapp", "other": "other",
}

// Identifier normalizes the value of an identifier of type typ:
//
//   - "email": Email; "phone": Phone in defaultRegion.
//   - "loyalty_id", "external_id", "device_id", "cookie_id": white space removed
//     anywhere (card numbers are often printed in groups), non-empty printable ASCII of
//     at most 200 characters; loyalty_id is upper-cased, since card codes are typed in
//     either case, while the others are case-sensitive tokens and kept as sent.
//   - "social_handle": "platform:handle", lower-cased, with leading "@" removed from the
//     handle; platform one of wechat, weibo, instagram, facebook, x (or twitter), tiktok,
//     douyin, xiaohongshu, line, whatsapp, other. A handle without platform is rejected:
//     the same name on two platforms is two different people.
//   - "national_id", "passport", "tax_id": personal document numbers, upper-cased with
//     white space and hyphens removed; 5 to 40 letters and digits.
func Identifier(typ, value, defaultRegion string) (string, error) {
	switch t := strings.ToLower(strings.TrimSpace(typ)); t {
	case "email":
		return Email(value)
	case "phone":
		return Phone(value, defaultRegion)
	case "loyalty_id", "external_id", "device_id", "cookie_id":
		id, err := opaqueID(value)
		if t == "loyalty_id" {
			id = strings.ToUpper(id)
		}
		return id, err
	case "social_handle":
		return socialHandle(value)
	case "national_id", "passport", "tax_id":
		return personalID(value)
	default:
		return "", fmt.Errorf("unknown identifier type %s", quote(typ))
	}
}

// opaqueID cleans an identifier whose content means nothing to us.
func opaqueID(s string) (string, error) {
	if err := checkUTF8(s); err != nil {
		return "", err
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, foldWidth(s))
	if s == "" {
		return "", errEmpty
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '!' || s[i] > '~' {
			return "", errors.New("may contain only printable ASCII characters")
		}
	}
	if len(s) > maxIdentifierLen {
		return "", fmt.Errorf("longer than %d characters", maxIdentifierLen)
	}
	return s, nil
}

// socialHandle normalizes "platform:handle". Handles may be non-Latin (Weibo names are
// often Chinese) but contain no white space or control characters.
func socialHandle(s string) (string, error) {
	if err := checkUTF8(s); err != nil {
		return "", err
	}
	s = strings.TrimSpace(foldWidth(s))
	if s == "" {
		return "", errEmpty
	}
	p, h, ok := strings.Cut(s, ":")
	if !ok {
		return "", errors.New(`social handle must be "platform:handle", such as "weibo:ann"`)
	}
	platform, ok := socialPlatforms[strings.ToLower(strings.TrimSpace(p))]
	if !ok {
		return "", fmt.Errorf("unknown social platform %s", quote(strings.TrimSpace(p)))
	}
	h = strings.ToLower(strings.TrimLeft(strings.TrimSpace(h), "@"))
	if h == "" {
		return "", errors.New("empty handle")
	}
	for _, r := range h {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return "", errors.New("handle contains white space or control characters")
		}
	}
	out := platform + ":" + h
	if utf8.RuneCountInString(out) > maxIdentifierLen {
		return "", fmt.Errorf("longer than %d characters", maxIdentifierLen)
	}
	return out, nil
}
