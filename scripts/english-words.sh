#!/usr/bin/env bash
# Rebuilds assets/lang/english-words.txt, the English lexicon that tells an utterance in another
# language from English (app/src/agent/foreign.rs), from SCOWL's size-50 American and British
# lists as Debian 12 packs them (wamerican and wbritish 2020.12.07). Run it by hand; the
# program ships the result, so neither the build nor the tests need these packages.
set -euo pipefail
cd "$(dirname "$0")/.."
for package in wamerican wbritish; do
    dpkg -s "$package" >/dev/null 2>&1 || apt-get install -y -q "$package"
done
out=assets/lang/english-words.txt
# Words with accents are left out: in these lists they are names and borrowings (Lumière,
# adiós, abbé), and in a request they are the surest sign of another language.
{
    echo "# English words, one a line, lowercased: SCOWL size 50, American and British (Debian's"
    echo "# wamerican and wbritish 2020.12.07), without accented words. Made by"
    echo "# scripts/english-words.sh; licence in SCOWL-COPYRIGHT."
    cat /usr/share/dict/american-english /usr/share/dict/british-english |
        LC_ALL=C grep -v '[^A-Za-z]' | tr '[:upper:]' '[:lower:]' | LC_ALL=C sort -u
} > "$out"
wc -l "$out"
