<#
.SYNOPSIS
    One module measurement in a fresh pwsh, as a user script would run it: import, do the work once, report.
.DESCRIPTION
    Prints one JSON line: ImportMs, ElapsedMs (the cmdlet call, Stopwatch inside this session), WarmMs
    (the same call a second time, when -Warm), Outputs, Errors, Correct (outputs whose digest is the
    expected one) and PeakKB (VmHWM of this process at the end, in KiB).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [ValidateSet('Resolve', 'Pull', 'Create')] [string] $Action,
    # Resolve: a file with one reference per line. Pull/Create: the pinned reference.
    [string] $ReferenceFile,
    [string] $Reference,
    [string] $ExpectedDigest,
    [string] $EngineUri,
    [int] $Count = 20,
    # Resolve only: run the same call a second time in this session (JIT and connection set-up paid).
    [switch] $Warm
)
$ErrorActionPreference = 'Stop'

$importWatch = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module $ModulePath
$importWatch.Stop()

function Invoke-Action {
    $errors = $null
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $out = switch ($Action) {
        'Resolve' { $script:References | Get-ImageDigest -ErrorAction SilentlyContinue -ErrorVariable errors }
        'Pull' { Invoke-ImagePull -Reference $Reference -EngineUri $EngineUri -ErrorAction SilentlyContinue -ErrorVariable errors -ProgressAction SilentlyContinue }
        'Create' { New-PinnedContainer -Reference $Reference -Count $Count -Network none -EngineUri $EngineUri -ErrorAction SilentlyContinue -ErrorVariable errors }
    }
    $watch.Stop()
    [pscustomobject]@{ Ms = $watch.Elapsed.TotalMilliseconds; Out = @($out); Errors = @($errors) }
}

if ($Action -eq 'Resolve') { $script:References = [System.IO.File]::ReadAllLines($ReferenceFile) }
$first = Invoke-Action
$warmMs = $null
if ($Warm) { $warmMs = (Invoke-Action).Ms }

$peak = (Get-Content /proc/self/status | Where-Object { $_ -like 'VmHWM:*' }) -replace '\D', ''
[pscustomobject]@{
    ImportMs  = $importWatch.Elapsed.TotalMilliseconds
    ElapsedMs = $first.Ms
    WarmMs    = $warmMs
    Outputs   = $first.Out.Count
    Errors    = $first.Errors.Count
    FirstError = if ($first.Errors.Count) { "$($first.Errors[0])" } else { $null }
    Correct   = @($first.Out | Where-Object { $_.Digest -eq $ExpectedDigest }).Count
    PeakKB    = [long]$peak
} | ConvertTo-Json -Compress
