<#
.SYNOPSIS
    Drift of 50 containers over 10 distinct tags: time of Get-ImageDrift (first call of a session, then warm)
    against the registry requests it needed, counted by a proxy in front of the registry.
.DESCRIPTION
    Starts the shared test environment (loopback registry, private dockerd), pushes one image under 10 tags of
    one repository through a request-logging proxy, creates 50 containers (5 per tag, never started) from
    those tags, then in one fresh pwsh runs Get-ImageDrift -All twice. The proxy log of each call gives the
    HTTP requests made (the answer to "one request per distinct reference"). Prints a markdown line for
    bench/RESULTS.md and stops everything it started.
.EXAMPLE
    dotnet pwsh ./bench/Invoke-DriftBenchmark.ps1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path (Split-Path -Parent $PSScriptRoot) 'out/DigestTools'),
    [ValidateRange(1, 500)] [int] $Containers = 50,
    [ValidateRange(1, 100)] [int] $Tags = 10
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchEnvironment.ps1')
$repositoryRoot = Split-Path -Parent $PSScriptRoot

$environment = $null
$proxy = $null
try {
    $environment = Start-BenchEnvironment -RepositoryRoot $repositoryRoot
    $settings = Get-Content -Raw $environment.Handle.File | ConvertFrom-Json
    $dockerHost = $environment.DockerHost
    $proxy = Start-FaultProxy -Upstream $environment.Registry
    $repository = "$($proxy.Address)/bench/drift"
    foreach ($t in 1..$Tags) { Copy-TestImage -Source $settings.Fixtures.Oci.Reference -Destination "${repository}:t$t" }
    foreach ($t in 1..$Tags) { & docker -H $dockerHost pull -q "${repository}:t$t" | Out-Null }
    foreach ($c in 1..$Containers) {
        $tag = 't' + ((($c - 1) % $Tags) + 1)
        & docker -H $dockerHost create --network none --name "drift-bench-$c" "${repository}:$tag" | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "docker create drift-bench-$c failed" }
    }
    Clear-ProxyRequest $proxy

    # One session, two calls: the first pays the module's first-use costs, the second is warm.
    $measure = {
        param($ModulePath, $EngineUri, $ControlUrl)
        Import-Module $ModulePath
        $calls = foreach ($call in 'first', 'warm') {
            Invoke-RestMethod -Method Delete -Uri "$ControlUrl/requests" | Out-Null
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $drift = @(Get-ImageDrift -All -EngineUri $EngineUri | Where-Object Name -like 'drift-bench-*')
            $watch.Stop()
            $requests = @(Invoke-RestMethod -Uri "$ControlUrl/requests" | ForEach-Object { $_ })   # one JSON array, unrolled
            [pscustomobject]@{
                Call = $call; Ms = [math]::Round($watch.Elapsed.TotalMilliseconds); Containers = $drift.Count
                Current = @($drift | Where-Object Status -eq 'Current').Count
                Requests = $requests.Count
                ManifestRequests = @($requests | Where-Object path -match '/manifests/').Count
            }
        }
        $calls | ConvertTo-Json -Compress
    }
    $command = "& { $measure } '$ModulePath' '$dockerHost' '$($proxy.ControlUrl)'"
    [string[]] $pwsh = Get-PwshCommand
    $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -c $command
    if ($LASTEXITCODE -ne 0) { throw "the measuring pwsh failed: $output" }
    $results = ($output | Select-Object -Last 1) | ConvertFrom-Json
    foreach ($r in $results) {
        if ($r.Containers -ne $Containers -or $r.Current -ne $Containers) { throw "expected $Containers Current containers, got $($r.Containers) ($($r.Current) Current)" }
    }
    $first, $warm = $results
    $line = "| Drift: Get-ImageDrift -All, $Containers containers over $Tags distinct tags | first call $($first.Ms) ms, warm $($warm.Ms) ms | " +
        "$($first.Requests) registry requests ($($first.ManifestRequests) manifest HEADs + the /v2/ check); warm $($warm.Requests) ($($warm.ManifestRequests) manifest) |"
    Write-Host $line
    $line
}
finally {
    if ($proxy) { Stop-FaultProxy $proxy }
    Stop-BenchEnvironment $environment
}
