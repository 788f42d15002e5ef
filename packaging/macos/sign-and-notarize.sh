#!/usr/bin/env bash
# Sign, notarise and staple "RSR Profile Editor.app" built by packaging/build.py on macOS.
#
# Usage: packaging/macos/sign-and-notarize.sh ["dist/RSR Profile Editor.app"]
#
# Environment (nothing is read from files in the repository):
#   RSR_SIGN_IDENTITY      required: the "Developer ID Application: NAME (TEAMID)" identity in
#                          the keychain (see `security find-identity -v -p codesigning`)
#   Notary credentials, either
#   RSR_NOTARY_PROFILE     a keychain profile made once with
#                          `xcrun notarytool store-credentials PROFILE --apple-id … --team-id …`
#   or all three of
#   RSR_NOTARY_APPLE_ID    the Apple ID of the developer account
#   RSR_NOTARY_TEAM_ID     the 10-character team id
#   RSR_NOTARY_PASSWORD    an app-specific password for that Apple ID
#   RSR_SKIP_NOTARIZE=1    sign only (local testing; Gatekeeper will still warn on other Macs)
#
# Steps: sign every nested binary inside-out (hardened runtime, secure timestamp), then the
# app with packaging/macos/entitlements.plist; verify; zip with ditto; submit to the notary
# service and wait; staple the ticket; assess with Gatekeeper (spctl). Produces
# "dist/RSR Profile Editor-VERSION.zip" ready to hand out.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
app="${1:-$repo/dist/RSR Profile Editor.app}"
entitlements="$here/entitlements.plist"

die() { echo "sign-and-notarize: $*" >&2; exit 2; }

[ "$(uname -s)" = "Darwin" ] || die "runs on macOS only (codesign, notarytool, stapler)"
[ -d "$app" ] || die "no app bundle at $app (run python packaging/build.py first)"
[ -n "${RSR_SIGN_IDENTITY:-}" ] || die "set RSR_SIGN_IDENTITY to a Developer ID Application identity"

notary_args=()
if [ "${RSR_SKIP_NOTARIZE:-0}" != "1" ]; then
    if [ -n "${RSR_NOTARY_PROFILE:-}" ]; then
        notary_args=(--keychain-profile "$RSR_NOTARY_PROFILE")
    elif [ -n "${RSR_NOTARY_APPLE_ID:-}" ] && [ -n "${RSR_NOTARY_TEAM_ID:-}" ] \
        && [ -n "${RSR_NOTARY_PASSWORD:-}" ]; then
        notary_args=(--apple-id "$RSR_NOTARY_APPLE_ID" --team-id "$RSR_NOTARY_TEAM_ID"
            --password "$RSR_NOTARY_PASSWORD")
    else
        die "set RSR_NOTARY_PROFILE, or RSR_NOTARY_APPLE_ID + RSR_NOTARY_TEAM_ID + RSR_NOTARY_PASSWORD (or RSR_SKIP_NOTARIZE=1)"
    fi
fi

version="$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$app/Contents/Info.plist")"
zip="$(dirname "$app")/RSR Profile Editor-$version.zip"

sign() {
    codesign --force --timestamp --options runtime --sign "$RSR_SIGN_IDENTITY" "$@"
}

echo "signing nested code in $app"
# Inside-out: every Mach-O file (dylibs, .so extension modules, Qt plugins, the CLI and the
# app executables) and every framework, deepest first, then the bundle itself. --deep is
# avoided on purpose: Apple documents it as unreliable for signing.
while IFS= read -r -d '' file; do
    if file -b "$file" | grep -q "Mach-O"; then
        sign --entitlements "$entitlements" "$file"
    fi
done < <(find "$app/Contents" -type f ! -path "*/_CodeSignature/*" -print0 | sort -rz)
while IFS= read -r -d '' framework; do
    sign "$framework"
done < <(find "$app/Contents" -type d -name "*.framework" -print0 | sort -rz)
sign --entitlements "$entitlements" "$app"

echo "verifying the signature"
codesign --verify --deep --strict --verbose=2 "$app"

if [ "${RSR_SKIP_NOTARIZE:-0}" = "1" ]; then
    echo "signed (not notarised: RSR_SKIP_NOTARIZE=1)"
    exit 0
fi

echo "submitting to the notary service (this waits for the verdict)"
rm -f "$zip"
ditto -c -k --sequesterRsrc --keepParent "$app" "$zip"
xcrun notarytool submit "$zip" "${notary_args[@]}" --wait

echo "stapling the ticket"
xcrun stapler staple "$app"
xcrun stapler validate "$app"
spctl --assess --type execute --verbose=2 "$app"

# re-zip so the handed-out archive carries the stapled ticket (works offline)
rm -f "$zip"
ditto -c -k --sequesterRsrc --keepParent "$app" "$zip"
echo "ready: $zip"
