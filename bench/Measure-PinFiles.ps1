<#
.SYNOPSIS
    Benchmark of pins in files: Update-ImagePin and Test-ImagePin over a tree of 200 files holding 500 image
    references (100 distinct), timed, with the registry requests each needed counted by a proxy.
.DESCRIPTION
    Starts the shared test environment without engines (a loopback registry), puts one image under 100 tags,
    writes 100 Dockerfiles, 50 Compose files and 50 Kubernetes manifests, and runs through the fault proxy
    of tests/infra (no fault rules: it only counts requests):
      1. Update-ImagePin -Recurse, first call in this process (pins every reference);
      2. Test-ImagePin -Recurse on the pinned tree (two HEADs per distinct pin: the digest and the tag);
      3. Update-ImagePin -Recurse again on a fresh copy of the unpinned tree (warm);
      4. Update-ImagePin -Recurse on that tree once more: every pin AlreadyCurrent, nothing written.
    Prints one markdown row per run. Run after a build:  dotnet pwsh ./bench/Measure-PinFiles.ps1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/DigestTools'),
    [int] $Files = 200,
    [int] $References = 500,
    [int] $Distinct = 100
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$repositoryRoot = Split-Path $PSScriptRoot
Import-Module (Join-Path $repositoryRoot 'tests/infra/TestEnvironment.psm1') -Force
Import-Module (Resolve-Path $ModulePath) -Force

function Write-BenchTree([string] $Root, [string] $Registry) {
    # Reference k (of $References) names tag k % $Distinct and lives in file k % $Files: 2-3 per file.
    $byFile = @{}
    for ($k = 0; $k -lt $References; $k++) {
        $file = $k % $Files
        if (-not $byFile.ContainsKey($file)) { $byFile[$file] = [System.Collections.Generic.List[string]]::new() }
        $byFile[$file].Add("$Registry/pinbench/app:t$($k % $Distinct)")
    }
    $dockerfiles = [int]($Files / 2); $composeFiles = [int]($Files / 4)
    foreach ($file in $byFile.Keys) {
        $images = $byFile[$file]
        if ($file -lt $dockerfiles) {
            $name = "d$file/Dockerfile"
            $text = ($images | ForEach-Object { $i = 0 } { "FROM $_ AS s$i`nRUN echo stage $i"; $i++ }) -join "`n"
        }
        elseif ($file -lt $dockerfiles + $composeFiles) {
            $name = "c$file/compose.yaml"
            $text = "services:`n" + (($images | ForEach-Object { $i = 0 } { "  s${i}:`n    image: `"$_`"   # service $i"; $i++ }) -join "`n")
        }
        else {
            $name = "k$file/deploy.yaml"
            $containers = ($images | ForEach-Object { $i = 0 } { "      - name: c$i`n        image: $_"; $i++ }) -join "`n"
            $text = "apiVersion: apps/v1`nkind: Deployment`nmetadata: {name: d$file}`nspec:`n  template:`n    spec:`n      containers:`n$containers"
        }
        $path = Join-Path $Root $name
        New-Item -ItemType Directory -Force -Path (Split-Path $path) | Out-Null
        Set-Content -Path $path -Value $text -NoNewline
    }
}

function Measure-Run([string] $Label, [object] $Proxy, [scriptblock] $Run) {
    Clear-ProxyRequest $Proxy
    $output = $null
    $elapsed = Measure-Command { $output = @(& $Run) }
    $requests = @(Get-ProxyRequest $Proxy)
    $heads = @($requests | Where-Object { $_.method -eq 'HEAD' }).Count
    '| {0} | {1} | {2:N0} ms | {3} ({4} HEAD) |' -f $Label, $output.Count, $elapsed.TotalMilliseconds, $requests.Count, $heads
}

$handle = Start-TestEnvironment -NoEngines
$proxy = $null
$work = Join-Path ([IO.Path]::GetTempPath()) "digesttools-pinbench-$PID"
try {
    $environment = Get-Content -Raw $handle.File | ConvertFrom-Json
    $registry = $environment.Registry
    $source = $environment.Fixtures.Oci.Reference
    # One manifest under $Distinct tags: pushed once, then PUT by tag (blobs are already in the repository).
    Copy-TestImage -Source $source -Destination "$registry/pinbench/app:t0" -PreserveDigests
    $manifest = Invoke-WebRequest -Uri "http://$registry/v2/pinbench/app/manifests/t0" -Headers @{ Accept = 'application/vnd.oci.image.manifest.v1+json' }
    for ($t = 1; $t -lt $Distinct; $t++) {
        Invoke-WebRequest -Method Put -Uri "http://$registry/v2/pinbench/app/manifests/t$t" -Body $manifest.Content `
            -ContentType 'application/vnd.oci.image.manifest.v1+json' | Out-Null
    }
    $proxy = Start-FaultProxy -Upstream $registry

    $unpinned = Join-Path $work 'unpinned'
    Write-BenchTree -Root $unpinned -Registry $proxy.Address
    Copy-Item -Recurse $unpinned (Join-Path $work 'first')
    Copy-Item -Recurse $unpinned (Join-Path $work 'warm')

    "$Files files, $References references, $Distinct distinct, registry $registry behind a counting proxy:"
    '| Run | References | Time | Registry requests |'
    '|---|---|---|---|'
    Measure-Run 'Update-ImagePin, first call' $proxy { Update-ImagePin -Path (Join-Path $work 'first') -Recurse }
    Measure-Run 'Test-ImagePin, pinned tree' $proxy { Test-ImagePin -Path (Join-Path $work 'first') -Recurse }
    Measure-Run 'Update-ImagePin, warm' $proxy { Update-ImagePin -Path (Join-Path $work 'warm') -Recurse }
    Measure-Run 'Update-ImagePin, tree already pinned' $proxy { Update-ImagePin -Path (Join-Path $work 'warm') -Recurse }
}
finally {
    if ($proxy) { Stop-FaultProxy $proxy }
    Stop-TestEnvironment $handle
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
