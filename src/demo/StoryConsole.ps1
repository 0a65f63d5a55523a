# How the demo stories print: a heading per step, and the command a reader would type. Dot-sourced by each story.
function Write-Step([string] $Text) { Write-Host "`n== $Text" -ForegroundColor Cyan }
function Write-Code([string] $Text) { Write-Host "PS> $Text" -ForegroundColor Yellow }
