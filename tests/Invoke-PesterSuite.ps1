<#
.SYNOPSIS
    Runs every tests/*.Tests.ps1 with Pester against a built module; writes the counts as JSON.
    Called by build.ps1 -Task Test in a fresh process, so the module is imported as a user would.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultFile,
    [string] $Tag
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest
$env:DIGESTTOOLS_MODULE = $ModulePath

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Output.RenderMode = 'Plaintext'
if ($Tag) { $configuration.Filter.Tag = $Tag -split ',' }

$result = Invoke-Pester -Configuration $configuration
@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; Skipped = $result.SkippedCount } |
    ConvertTo-Json | Set-Content -Path $ResultFile
