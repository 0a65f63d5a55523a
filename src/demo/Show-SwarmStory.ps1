<#
.SYNOPSIS
    The Swarm chapter of the DigestTools story: build.ps1 -Task Demo runs it after the pinning story.
.DESCRIPTION
    Starts a private loopback registry with a small sample image; uses the Swarm manager at -EngineUri when
    given, else starts a private dockerd and makes it a single-node Swarm. Then: a service pinned to what a
    tag names, the tag moves, nothing changes until Update-PinnedService rolls every task onto the new digest.
    Removes the service and stops what it started.
.PARAMETER ModulePath
    The built module folder (out/DigestTools).
.PARAMETER EngineUri
    A Swarm manager to borrow (the tests pass theirs); without it a private one is started.
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath, [string] $EngineUri)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot '../../tests/infra/TestEnvironment.psm1')
Import-Module $ModulePath

. (Join-Path $PSScriptRoot 'StoryConsole.ps1')

function Get-TaskDigest([string] $Engine, [string] $Service) {
    # The digest in the image of every task Swarm wants running, straight from the Engine API (no docker CLI).
    $filters = [uri]::EscapeDataString((@{ service = @($Service); 'desired-state' = @('running') } | ConvertTo-Json -Compress))
    $tasks = Invoke-RestMethod -UnixSocket $Engine.Substring(7) -Uri "http://localhost/v1.41/tasks?filters=$filters"
    @($tasks | Where-Object { $_.Status.State -eq 'running' } | ForEach-Object { ($_.Spec.ContainerSpec.Image -split '@')[1] })
}

$environment = $null
$service = 'demo-web'
$engine = $EngineUri
try {
    Write-Step 'Setting up: a private registry on 127.0.0.1 with a small busybox image, and a Swarm'
    $environment = Start-TestEnvironment -NoEngines
    $settings = Get-Content -Raw $environment.File | ConvertFrom-Json
    $app = "$($settings.Registry)/demo/web"
    Copy-TestImage -Source $settings.Fixtures.Oci.Reference -Destination "${app}:stable"
    if ($engine) { Write-Host "using the Swarm manager at $engine" }
    else {
        $swarm = & (Get-Module TestEnvironment) { param($dir) Start-PrivateDockerd -StateDir $dir -Name 'swarm' } $environment.StateDir
        $environment.SwarmPid = $swarm.Pid
        $environment.SwarmHost = $swarm.Host
        & (Get-Module TestEnvironment) { param($handle) Save-TestEnvironmentHandle $handle } $environment   # the watchdog stops it too
        & (Get-Module TestEnvironment) { param($h) Initialize-TestSwarm -DockerHost $h } $swarm.Host
        $engine = $swarm.Host
        Write-Host "started a private dockerd and made it a single-node Swarm: $engine"
    }

    Write-Step '1. A service pinned to what the tag names now: every node runs these bytes'
    Write-Code "New-PinnedService ${app}:stable -Name $service -Replicas 2 -Command sleep, 3600 -Wait"
    $created = New-PinnedService "${app}:stable" -Name $service -Replicas 2 -Command 'sleep', '3600' -UpdateMonitor '00:00:01' -UpdateParallelism 2 -EngineUri $engine -Wait -TimeoutSec 120
    Write-Host "  Image           $($created.Image)"
    Write-Host "  tasks run       $((Get-TaskDigest $engine $service) -join ', ')"

    Write-Step '2. Someone pushes a new image to the same tag'
    Copy-TestImage -Source $settings.Fixtures.OciAlt.Reference -Destination "${app}:stable"
    $moved = Get-ImageDigest "${app}:stable"
    Write-Host "the tag now names $($moved.Digest)"
    Write-Host "the service still runs $((Get-TaskDigest $engine $service | Select-Object -Unique) -join ', ') (no node resolved the tag on its own)"

    Write-Step '3. Nothing changes until the service is re-pinned; -WhatIf shows old -> new'
    Write-Code "Update-PinnedService $service -WhatIf"
    Update-PinnedService $service -EngineUri $engine -WhatIf
    Write-Code "Update-PinnedService $service -Wait"
    $updated = Update-PinnedService $service -EngineUri $engine -Wait -TimeoutSec 120
    Write-Host "  Status          $($updated.Status): $($updated.PreviousDigest) -> $($updated.Digest)"
    $digests = @(Get-TaskDigest $engine $service)
    $onNew = @($digests | Where-Object { $_ -eq $moved.Digest }).Count
    Write-Host "$onNew of $($digests.Count) tasks run $($moved.Digest)"

    Write-Step '4. Asked again, with the tag where it is: nothing to roll'
    Write-Code "Update-PinnedService $service"
    Write-Host "  Status          $((Update-PinnedService $service -EngineUri $engine).Status)"
}
finally {
    Write-Step 'Cleaning up'
    if ($engine) {
        try { Invoke-RestMethod -Method Delete -UnixSocket $engine.Substring(7) -Uri "http://localhost/v1.41/services/$service" | Out-Null } catch { }
    }
    if ($environment) { Stop-TestEnvironment $environment }
    Write-Host 'done: service removed, registry and private engine stopped'
}
