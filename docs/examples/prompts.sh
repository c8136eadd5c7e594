# The example prompts per style, shared by docs/examples/make.sh and docs/examples/ab/make.sh (sourced).
# shellcheck disable=SC2034
declare -A prompts=(
  [chiptune]="tense chiptune boss fight"
  [orchestral]="heroic orchestral theme"
  [lofi]="calm lo-fi study beat"
  [rock]="fast rock action"
  [ambient]="dreamy ambient"
  [piano]="sad piano waltz"
  [folk]="happy celtic jig"
  [synthwave]="synthwave night drive"
)
styles=(chiptune orchestral lofi rock ambient piano folk synthwave)
