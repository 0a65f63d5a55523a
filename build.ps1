<#
.SYNOPSIS
    Builds, tests, demonstrates, benchmarks and packages DigestTools.
.DESCRIPTION
    One entry point for users and CI:
      Build    compile and lay out an importable module in out/DigestTools/
      Test     Build, set up the real registry and engines on loopback, run xunit and Pester,
               stop what it started, print "N passed, N failed" and exit non-zero on failure
      Demo     the pinning story against a local registry and engine
      Bench    side-by-side benchmarks (not part of Test)
      Mutate   Stryker.NET over DigestTools.Engine with the xunit suite against the real registry and
               engines (not part of Test; -Mutate narrows it, e.g. -Mutate '**/Docker/**/*.cs'); prints the
               score per file; reports in out/mutation/reports/
      Package  out/DigestTools/<version>/ ready for Publish-PSResource
      Clean    remove build output and test state
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Mutate', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester tag filters, handy while working on one area (e.g. -Tag Registry).
    [string[]] $Tag,

    # Skip the xunit suite or the Pester suite (both run by default).
    [switch] $SkipUnit,
    [switch] $SkipPester,

    # Stryker --mutate globs for -Task Mutate (default: all of DigestTools.Engine).
    [string[]] $Mutate,

    # Test sessions Stryker runs at once for -Task Mutate: 1 on a shared 2-core machine, more on a machine of your own.
    [ValidateRange(1, 64)]
    [int] $MutateConcurrency = 1,

    # A vstest filter for -Task Mutate: only these tests run per mutant (e.g. 'FullyQualifiedName~PortSpecTests').
    # A scoped run gives a lower bound of the score: fewer tests can only kill fewer mutants.
    [string] $MutateTestFilter
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$script:Root = $PSScriptRoot
$script:OutModule = Join-Path $Root 'out/DigestTools'
$script:ToolsDir = Join-Path $Root '.tools'
# Copies of the engine's assemblies compiled ahead of time (ReadyToRun), one per .NET major version and
# platform that PowerShell 7 runbooks use most: 7.4 (.NET 8) and 7.6 (.NET 10) on Linux and Windows x64.
# The package ships all of them; other builds make only the one this machine runs (see DependencyFolder.cs).
$script:ReadyToRunTargets = @('net8.0-linux-x64', 'net10.0-linux-x64', 'net8.0-win-x64', 'net10.0-win-x64')

function Invoke-Native {
    # Runs a native command and fails loudly on a non-zero exit code.
    param([Parameter(Mandatory)] [string] $Command, [string[]] $Arguments)
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') exited with $LASTEXITCODE" }
}

function Invoke-Build {
    $publish = Join-Path $Root "out/publish"
    Remove-Item -Recurse -Force $OutModule, $publish -ErrorAction SilentlyContinue
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/DigestTools/DigestTools.csproj'), '-c', $Configuration, '-o', $publish, '--nologo', '-v', 'q')

    $dependencies = Join-Path $OutModule 'dependencies'
    New-Item -ItemType Directory -Force -Path $dependencies | Out-Null
    # The cmdlet assembly sits at the top; everything else it brings is loaded in isolation.
    Copy-Item (Join-Path $publish 'DigestTools.dll') $OutModule
    Get-ChildItem $publish -Filter *.dll |
        Where-Object { $_.Name -notin 'DigestTools.dll', 'System.Management.Automation.dll' } |
        Copy-Item -Destination $dependencies
    Add-ReadyToRunDependency @(Get-HostReadyToRunTarget)
    Copy-Item (Join-Path $Root 'DigestTools.psd1') $OutModule
    foreach ($extra in 'DigestTools.format.ps1xml', 'en-US') {
        $source = Join-Path $Root $extra
        if (Test-Path $source) { Copy-Item -Recurse $source $OutModule }
    }
    # Help is generated from src/help/*.md and the compiled cmdlets, in a child process so that this
    # session never loads the module (a loaded DigestTools.dll would stay locked for the next build).
    $helpFile = Join-Path $OutModule 'en-US/DigestTools.dll-Help.xml'
    Invoke-CheckedChildPwsh @('-File', (Join-Path $Root 'src/help/ConvertTo-MamlHelp.ps1'), '-ModulePath', $OutModule, '-OutputFile', $helpFile)
    Write-Host "Built module: $OutModule"
}

function Get-HostReadyToRunTarget {
    # The precompiled copy this PowerShell would load, when it is one the package ships.
    $target = 'net{0}.0-{1}' -f [Environment]::Version.Major, [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    if ($target -in $ReadyToRunTargets) { $target }
}

function Add-ReadyToRunDependency([string[]] $Targets) {
    # dependencies/<tfm>-<rid>/: the engine and everything it brings, published for that runtime and compiled
    # ahead of time by the SDK's crossgen2 (restored from NuGet with the runtime packs it compiles against).
    foreach ($target in $Targets) {
        $destination = Join-Path $OutModule "dependencies/$target"
        if (Test-Path (Join-Path $destination 'DigestTools.Engine.dll')) { continue }
        $framework, $platform = $target -split '-', 2
        $publish = Join-Path $Root "out/publish-r2r/$target"
        Remove-Item -Recurse -Force $publish -ErrorAction SilentlyContinue
        Invoke-Native dotnet @('publish', (Join-Path $Root 'src/DigestTools.Engine.ReadyToRun/DigestTools.Engine.ReadyToRun.csproj'), '-c', $Configuration,
            '-f', $framework, "-p:ReadyToRunRid=$platform", '-o', $publish, '--nologo', '-v', 'q')
        New-Item -ItemType Directory -Force -Path $destination | Out-Null
        Get-ChildItem $publish -Filter *.dll | Where-Object Name -ne 'DigestTools.Engine.ReadyToRun.dll' | Copy-Item -Destination $destination
    }
}

function Test-BuildCurrent {
    # The built module is current when it is newer than every source it is made of.
    $dll = Join-Path $OutModule 'DigestTools.dll'
    $help = Join-Path $OutModule 'en-US/DigestTools.dll-Help.xml'
    if (-not (Test-Path $dll) -or -not (Test-Path $help)) { return $false }
    # The help file is written last by Invoke-Build (copied files keep their own older times).
    $built = (Get-Item $help).LastWriteTimeUtc
    $sources = @(Get-ChildItem -Recurse -File (Join-Path $Root 'src') | Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' })
    $sources += @(Get-Item (Join-Path $Root 'DigestTools.psd1'), (Join-Path $Root 'DigestTools.format.ps1xml'))
    $sources += @(Get-ChildItem -Recurse -File (Join-Path $Root 'en-US'))
    -not ($sources | Where-Object { $_.LastWriteTimeUtc -gt $built })
}

function Invoke-Package {
    # out/DigestTools/<version>/: the layout Publish-PSResource -Path expects (folder name = ModuleVersion).
    if (Test-BuildCurrent) { Write-Host "Reusing the current build in $OutModule" } else { Invoke-Build }
    Add-ReadyToRunDependency $ReadyToRunTargets
    $version = (Import-PowerShellDataFile (Join-Path $Root 'DigestTools.psd1')).ModuleVersion
    $package = Join-Path $OutModule $version
    Remove-Item -Recurse -Force $package -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force -Path $package | Out-Null
    foreach ($item in 'DigestTools.dll', 'DigestTools.psd1', 'DigestTools.format.ps1xml', 'dependencies', 'en-US') {
        Copy-Item -Recurse (Join-Path $OutModule $item) $package
    }
    Copy-Item (Join-Path $Root 'LICENSE') $package
    Write-Host "Package: $package"
}

function Install-Pester {
    # No PowerShell Gallery here: Pester comes from NuGet, its module sits in tools/.
    $version = '5.7.1'
    $manifest = Join-Path $ToolsDir "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) {
        $project = Join-Path $ToolsDir 'restore/restore.csproj'
        New-Item -ItemType Directory -Force -Path (Split-Path $project) | Out-Null
        Set-Content -Path $project -Value @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$version]" /></ItemGroup>
</Project>
"@
        Invoke-Native dotnet @('restore', $project, '--packages', $ToolsDir, '--nologo', '-v', 'q')
    }
    $manifest
}

function Invoke-UnitTests {
    # Returns @{ Passed; Failed; Skipped } parsed from the vstest summary line.
    # Streamed as it runs, so a slow or stuck test shows where it is.
    $lines = & dotnet test (Join-Path $Root 'tests/DigestTools.Tests/DigestTools.Tests.csproj') -c $Configuration --nologo 2>&1 |
        ForEach-Object { Write-Host "$_"; "$_" }
    $summary = $lines | Select-String -Pattern 'Failed:\s+(\d+), Passed:\s+(\d+), Skipped:\s+(\d+)' | Select-Object -Last 1
    if (-not $summary) { return @{ Passed = 0; Failed = 1; Skipped = 0 } }   # build failure counts as a failure
    $g = $summary.Matches[0].Groups
    @{ Passed = [int]$g[2].Value; Failed = [int]$g[1].Value; Skipped = [int]$g[3].Value }
}

function Invoke-ChildPwsh([string[]] $Arguments) {
    # A fresh `pwsh -NoProfile`. Run as a local tool (dotnet pwsh), this process is `dotnet`: start the
    # same pwsh.dll through it.
    $hostPath = [Environment]::ProcessPath
    $all = @('-NoProfile') + $Arguments
    if ([IO.Path]::GetFileNameWithoutExtension($hostPath) -eq 'dotnet') { $all = @((Join-Path $PSHOME 'pwsh.dll')) + $all }
    & $hostPath @all
}

function Invoke-CheckedChildPwsh([string[]] $Arguments) {
    # A child pwsh that must succeed.
    Invoke-ChildPwsh $Arguments
    if ($LASTEXITCODE -ne 0) { throw "pwsh $($Arguments -join ' ') exited with $LASTEXITCODE" }
}

function Invoke-PesterTests([string] $PesterManifest) {
    # A child process: the module is imported fresh, as a user would, away from this build session.
    $resultFile = Join-Path $ToolsDir 'pester-result.json'
    Remove-Item $resultFile -ErrorAction SilentlyContinue
    $runner = Join-Path $Root 'tests/Invoke-PesterSuite.ps1'
    $arguments = @('-File', $runner, '-PesterManifest', $PesterManifest, '-ModulePath', $OutModule, '-ResultFile', $resultFile)
    if ($Tag) { $arguments += @('-Tag', ($Tag -join ',')) }
    Invoke-ChildPwsh $arguments | Write-Host
    if (-not (Test-Path $resultFile)) { return @{ Passed = 0; Failed = 1; Skipped = 0 } }
    $r = Get-Content $resultFile -Raw | ConvertFrom-Json
    @{ Passed = [int]$r.Passed; Failed = [int]$r.Failed; Skipped = [int]$r.Skipped }
}

function Invoke-Test {
    Invoke-Build
    $pester = Install-Pester
    Import-Module (Join-Path $Root 'tests/infra/TestEnvironment.psm1') -Force
    Install-TestPrerequisite
    $environment = Start-TestEnvironment
    $totals = @{ Passed = 0; Failed = 0; Skipped = 0 }
    try {
        $env:DIGESTTOOLS_TEST_ENV = $environment.File
        $results = @()
        if (-not $SkipUnit) { $results += Invoke-UnitTests }
        if (-not $SkipPester) { $results += Invoke-PesterTests $pester }
        foreach ($r in $results) { foreach ($k in 'Passed', 'Failed', 'Skipped') { $totals[$k] += $r[$k] } }
    }
    finally {
        Stop-TestEnvironment $environment
    }
    # The one closing line CI reads.
    Write-Host ("{0} passed, {1} failed, {2} skipped" -f $totals.Passed, $totals.Failed, $totals.Skipped)
    if ($totals.Failed -gt 0 -or $totals.Passed -eq 0) { exit 1 }
}

function Invoke-Mutate {
    # Stryker mutates DigestTools.Engine and runs the xunit suite per mutant; those tests need the registry and
    # engines, so the environment runs around it. Reports: out/mutation/reports/mutation-report.{html,json}.
    Import-Module (Join-Path $Root 'tests/infra/TestEnvironment.psm1') -Force
    Install-TestPrerequisite
    $environment = Start-TestEnvironment
    try {
        $env:DIGESTTOOLS_TEST_ENV = $environment.File
        $arguments = @('dotnet-stryker', '--project', 'DigestTools.Engine.csproj',
            '--test-project', (Join-Path $Root 'tests/DigestTools.Tests/DigestTools.Tests.csproj'),
            '--solution', (Join-Path $Root 'DigestTools.slnx'),
            '--configuration', $Configuration, '--concurrency', "$MutateConcurrency",
            '--reporter', 'html', '--reporter', 'json', '--reporter', 'progress',
            '--output', (Join-Path $Root 'out/mutation'))
        # From bash, `-Mutate 'a','b'` reaches this script as the one string "a,b" (pwsh -File does not parse arrays).
        foreach ($glob in @($Mutate | ForEach-Object { $_ -split ',' } | Where-Object { $_ })) { $arguments += @('--mutate', $glob) }
        if ($MutateTestFilter) { $arguments += @('--test-case-filter', $MutateTestFilter) }
        Push-Location (Join-Path $Root 'tests/DigestTools.Tests')
        try { Invoke-Native dotnet $arguments }
        finally { Pop-Location }
        Write-MutationSummary (Join-Path $Root 'out/mutation/reports/mutation-report.json')
    }
    finally {
        Stop-TestEnvironment $environment
    }
}

function Write-MutationSummary([string] $ReportFile) {
    # One line per mutated file, then the total, from Stryker's JSON report: what bench/MUTATION.md records.
    # Survivors and mutants no test covers both count as not killed (Stryker's own score).
    $report = Get-Content $ReportFile -Raw | ConvertFrom-Json
    $rows = foreach ($file in $report.files.PSObject.Properties) {
        $status = @($file.Value.mutants | ForEach-Object status)
        $killed = @($status | Where-Object { $_ -in 'Killed', 'Timeout' }).Count
        $survived = @($status | Where-Object { $_ -eq 'Survived' }).Count
        $uncovered = @($status | Where-Object { $_ -eq 'NoCoverage' }).Count
        if ($killed + $survived + $uncovered -eq 0) { continue }
        [pscustomobject]@{
            File = [IO.Path]::GetRelativePath((Join-Path $Root 'src/DigestTools.Engine'), $file.Name)
            Killed = $killed; Survived = $survived; NoCoverage = $uncovered
            Score = '{0:0.00} %' -f (100 * $killed / ($killed + $survived + $uncovered))
        }
    }
    if (-not $rows) { Write-Host 'No mutant was tested (check the -Mutate globs and -MutateTestFilter).'; return }
    $rows | Sort-Object File | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    $k = ($rows | Measure-Object Killed -Sum).Sum; $s = ($rows | Measure-Object Survived -Sum).Sum; $n = ($rows | Measure-Object NoCoverage -Sum).Sum
    if ($k + $s + $n -gt 0) { Write-Host ('{0} killed, {1} survived, {2} not covered: {3:0.00} %' -f $k, $s, $n, (100 * $k / ($k + $s + $n))) }
}

function Invoke-Demo {
    # The main job on a local default set-up: packages, a private registry, an engine, the story.
    Invoke-Build
    Import-Module (Join-Path $Root 'tests/infra/TestEnvironment.psm1') -Force
    Install-TestPrerequisite
    Invoke-CheckedChildPwsh @('-File', (Join-Path $Root 'src/demo/Show-PinningStory.ps1'), '-ModulePath', $OutModule)
    Invoke-CheckedChildPwsh @('-File', (Join-Path $Root 'src/demo/Show-SwarmStory.ps1'), '-ModulePath', $OutModule)
}

function Invoke-Clean {
    foreach ($path in 'out', '.tools', 'src/DigestTools/bin', 'src/DigestTools/obj', 'src/DigestTools.Engine/bin',
        'src/DigestTools.Engine/obj', 'src/DigestTools.Engine.ReadyToRun/bin', 'src/DigestTools.Engine.ReadyToRun/obj',
        'tests/DigestTools.Tests/bin', 'tests/DigestTools.Tests/obj') {
        Remove-Item -Recurse -Force (Join-Path $Root $path) -ErrorAction SilentlyContinue
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Clean' { Invoke-Clean }
    'Bench' { Invoke-Build; & (Join-Path $Root 'bench/Invoke-Benchmark.ps1') -ModulePath $OutModule }
    'Package' { Invoke-Package }
    'Mutate' { Invoke-Mutate }
    default { throw "Task $Task arrives with a later issue." }
}
