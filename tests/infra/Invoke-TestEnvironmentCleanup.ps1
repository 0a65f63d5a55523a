<#
.SYNOPSIS
    Run by the watchdog Start-TestEnvironment leaves behind when the PowerShell that started the
    environment died without stopping it: stops everything recorded in the state dir and removes it.
#>
param([Parameter(Mandatory)] [string] $StateDir)
$ErrorActionPreference = 'Continue'
Import-Module (Join-Path $PSScriptRoot 'TestEnvironment.psm1') -Force
$handleFile = Join-Path $StateDir 'handle.json'
$handle = if (Test-Path $handleFile) { Get-Content -Raw $handleFile | ConvertFrom-Json } else { [pscustomobject]@{ StateDir = $StateDir } }
# This process is the watchdog itself: it must not stop itself first.
$handle | Add-Member -NotePropertyName WatchdogPid -NotePropertyValue $PID -Force
Stop-TestEnvironment $handle
