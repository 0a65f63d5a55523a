<#
.SYNOPSIS
    One module measurement in a fresh pwsh, as a user script would run it: import, do the work once, report.
.DESCRIPTION
    Prints one JSON line: ControlMs and ImportMs (Import-Module, Stopwatch), ElapsedMs (the timed cmdlet
    call, Stopwatch inside this session), WarmMs (with -Warm: the call timed after a first untimed one),
    Outputs, Errors, Correct (outputs whose digest is the expected one), PeakKB (VmHWM of this process
    at the end, in KiB), and where the time went: ImportJitMs and JitMs, the time this process spent
    JIT-compiling during the import and during the timed call (System.Runtime.JitInfo, all threads).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    # None: only the import (see -ImportAfter). EngineFirstUse: Get-ImageDigest -Local, a cheap engine call,
    # twice: what the first use of the engine client costs in a session, apart from any pull or create.
    [Parameter(Mandatory)] [ValidateSet('Resolve', 'Pull', 'Create', 'EngineFirstUse', 'None')] [string] $Action,
    # Resolve: a file with one reference per line. Pull/Create: the pinned reference.
    [string] $ReferenceFile,
    [string] $Reference,
    [string] $ExpectedDigest,
    [string] $EngineUri,
    [int] $Count = 20,
    # Time the call a second time in this session, after a first untimed one (whatever a first call sets up
    # is then paid): Resolve repeats the same call, Pull first pulls -WarmUpReference, Create first creates
    # one container. Without -Warm, ElapsedMs is the first (cold) call of the session.
    [switch] $Warm,
    [string] $WarmUpReference,
    # A module imported (and timed, ControlMs) before DigestTools: with an empty module this separates
    # PowerShell's own first Import-Module cost from DigestTools' cost.
    [string] $ImportAfter
)
$ErrorActionPreference = 'Stop'

$controlMs = $null
if ($ImportAfter) {
    $controlWatch = [System.Diagnostics.Stopwatch]::StartNew()
    Import-Module $ImportAfter
    $controlMs = $controlWatch.Elapsed.TotalMilliseconds
}
function Get-JitMs { [System.Runtime.JitInfo]::GetCompilationTime($false).TotalMilliseconds }
$jitBefore = Get-JitMs
$importWatch = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module $ModulePath
$importWatch.Stop()
$importJitMs = (Get-JitMs) - $jitBefore
if ($Action -eq 'None') {
    [pscustomobject]@{ ControlMs = $controlMs; ImportMs = $importWatch.Elapsed.TotalMilliseconds; ImportJitMs = $importJitMs } | ConvertTo-Json -Compress
    return
}

function Invoke-Action([string] $Image = $Reference, [int] $Replicas = $Count) {
    $errors = $null
    $jitStart = Get-JitMs
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $out = switch ($Action) {
        'Resolve' { $script:References | Get-ImageDigest -ErrorAction SilentlyContinue -ErrorVariable errors }
        'Pull' { Invoke-ImagePull -Reference $Image -EngineUri $EngineUri -ErrorAction SilentlyContinue -ErrorVariable errors -ProgressAction SilentlyContinue }
        'Create' { New-PinnedContainer -Reference $Image -Count $Replicas -Network none -EngineUri $EngineUri -ErrorAction SilentlyContinue -ErrorVariable errors }
        'EngineFirstUse' { Get-ImageDigest -Local -EngineUri $EngineUri -ErrorAction SilentlyContinue -ErrorVariable errors }
    }
    $watch.Stop()
    [pscustomobject]@{ Ms = $watch.Elapsed.TotalMilliseconds; JitMs = (Get-JitMs) - $jitStart; Out = @($out); Errors = @($errors) }
}

if ($Action -eq 'Resolve') { $script:References = [System.IO.File]::ReadAllLines($ReferenceFile) }
$warmMs = $null
if ($Warm -and $Action -in 'Pull', 'Create') {
    # The untimed first call, on something else, so the timed call below is the same work as a cold one.
    $warmUp = switch ($Action) { 'Pull' { Invoke-Action -Image $WarmUpReference } 'Create' { Invoke-Action -Replicas 1 } }
    if ($warmUp.Errors.Count -or $warmUp.Out.Count -eq 0) { throw "Warm-up call failed: $($warmUp.Errors | Select-Object -First 1)" }
    $first = Invoke-Action
    $warmMs = $first.Ms
}
else {
    $first = Invoke-Action
    if ($Warm) { $warmMs = (Invoke-Action).Ms }
}

$peak = (Get-Content /proc/self/status | Where-Object { $_ -like 'VmHWM:*' }) -replace '\D', ''
[pscustomobject]@{
    ControlMs = $controlMs
    ImportMs  = $importWatch.Elapsed.TotalMilliseconds
    ImportJitMs = $importJitMs
    ElapsedMs = $first.Ms
    JitMs     = $first.JitMs
    WarmMs    = $warmMs
    Outputs   = $first.Out.Count
    Errors    = $first.Errors.Count
    FirstError = if ($first.Errors.Count) { "$($first.Errors[0])" } else { $null }
    Correct   = @($first.Out | Where-Object { $_.Digest -eq $ExpectedDigest }).Count
    PeakKB    = [long]$peak
} | ConvertTo-Json -Compress
