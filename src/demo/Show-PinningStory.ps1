<#
.SYNOPSIS
    The DigestTools story, end to end, on this machine: build.ps1 -Task Demo runs it.
.DESCRIPTION
    Starts a private loopback registry with a small sample image; uses the engine at DOCKER_HOST when one
    answers, else starts a private dockerd. Then: resolve a tag, pull by digest, run two pinned replicas,
    move the tag in the registry, run a third replica from the same pin (same bytes) and a container from
    the tag (new bytes), and list local digests. Then keeping the pin: a container started from a tag "by
    someone else", the tag moves (Get-ImageDrift: TagMoved), two replicas like it run its old bytes
    (New-PinnedContainer -FromContainer), and the registry loses the old manifest (PinMissing).
    Removes what it created and stops what it started.
.PARAMETER ModulePath
    The built module folder (out/DigestTools).
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot '../../tests/infra/TestEnvironment.psm1')
Import-Module $ModulePath

. (Join-Path $PSScriptRoot 'StoryConsole.ps1')
function Write-Container($Container) {
    # One line per container, the digest in full: it is the point of the story.
    Write-Host ("  {0,-14} {1}  exit {2}  says: {3}" -f $Container.Name, $Container.Digest, $Container.ExitCode, "$($Container.Logs)".Trim())
}

function Test-Engine([string] $EngineUri) {
    # A quick /_ping: the demo only borrows an engine that answers now.
    try {
        if ($EngineUri -like 'unix://*') {
            $null = Invoke-RestMethod -UnixSocket $EngineUri.Substring(7) -Uri 'http://localhost/_ping' -TimeoutSec 3
        }
        elseif ($EngineUri -like 'tcp://*') {
            $null = Invoke-RestMethod -Uri ('http://' + $EngineUri.Substring(6) + '/_ping') -TimeoutSec 3
        }
        else { return $false }
        $true
    }
    catch { $false }
}

function Invoke-EngineApi([string] $EngineUri, [string] $Method, [string] $Path, [object] $Body) {
    # The Engine API over the unix socket (or tcp), so the demo needs no docker CLI.
    $request = @{ Method = $Method; ContentType = 'application/json' }
    if ($null -ne $Body) { $request.Body = $Body | ConvertTo-Json -Depth 5 }
    if ($EngineUri -like 'unix://*') { Invoke-RestMethod @request -UnixSocket $EngineUri.Substring(7) -Uri "http://localhost/v1.41$Path" }
    else { Invoke-RestMethod @request -Uri ('http://' + $EngineUri.Substring(6) + "/v1.41$Path") }
}

function Remove-EngineObject([string] $EngineUri, [string] $Path) { Invoke-EngineApi $EngineUri Delete $Path | Out-Null }

function Write-Drift($Drift) {
    # One line per container: what it runs against what its tag names now.
    foreach ($d in $Drift) {
        Write-Host ("  {0,-22} {1,-10} pinned={2,-5} runs {3}  tag names {4}" -f $d.Name, $d.Status, $d.Pinned, $d.RunningDigest, $d.CurrentDigest)
    }
}

$environment = $null
$created = [System.Collections.Generic.List[object]]::new()
$engine = $null
try {
    Write-Step 'Setting up: a private registry on 127.0.0.1 with a small busybox image'
    $environment = Start-TestEnvironment -NoEngines
    $settings = Get-Content -Raw $environment.File | ConvertFrom-Json
    $registry = $settings.Registry
    $app = "$registry/demo/app"
    Copy-TestImage -Source $settings.Fixtures.Oci.Reference -Destination "${app}:stable"
    Write-Host "pushed ${app}:stable (its command prints 'hello')"

    if ($env:DOCKER_HOST -and (Test-Engine $env:DOCKER_HOST)) {
        $engine = $env:DOCKER_HOST
        Write-Host "using the engine at DOCKER_HOST: $engine"
    }
    else {
        $docker = & (Get-Module TestEnvironment) { param($dir) Start-PrivateDockerd -StateDir $dir } $environment.StateDir
        $environment.DockerPid = $docker.Pid
        & (Get-Module TestEnvironment) { param($handle) Save-TestEnvironmentHandle $handle } $environment   # the watchdog stops it too
        $engine = $docker.Host
        Write-Host "no engine answered at DOCKER_HOST; started a private dockerd: $engine"
    }
    $PSDefaultParameterValues['*-Image*:EngineUri'] = $engine
    $PSDefaultParameterValues['New-PinnedContainer:EngineUri'] = $engine

    Write-Step '1. Resolve the tag to a digest: one HEAD request to the registry, nothing pulled'
    Write-Code "`$pin = Get-ImageDigest ${app}:stable"
    $pin = Get-ImageDigest "${app}:stable"
    Write-Host "  Digest          $($pin.Digest)"
    Write-Host "  MediaType       $($pin.MediaType)"
    Write-Host "  PinnedReference $($pin.PinnedReference)"

    Write-Step '2. Pull by digest, and prove the engine recorded that digest'
    Write-Code '$pin | Invoke-ImagePull'
    $pulled = $pin | Invoke-ImagePull -EngineUri $engine
    Write-Host "  ImageId         $($pulled.ImageId)"
    Write-Host "  RepoDigests     $($pulled.RepoDigests -join ', ')"

    Write-Step '3. Two replicas from the pin; each runs and prints its output'
    Write-Code '$pin | New-PinnedContainer -Name demo-db -Count 2 -Wait -Logs'
    $replicas = @($pin | New-PinnedContainer -Name demo-db -Count 2 -Wait -Logs -Network none -EngineUri $engine)
    $replicas | ForEach-Object { $created.Add($_) }
    $replicas | ForEach-Object { Write-Container $_ }
    Write-Host "  each container's configured image: $($replicas[0].Image)"

    Write-Step "4. Overnight, someone pushes a new image to the same tag"
    Copy-TestImage -Source $settings.Fixtures.OciAlt.Reference -Destination "${app}:stable"
    Write-Code "Get-ImageDigest ${app}:stable"
    $moved = Get-ImageDigest "${app}:stable"
    Write-Host "the tag now names $($moved.Digest)"
    Write-Host "the pin still names $($pin.Digest)"

    Write-Step '5. A third replica from the same pin runs the same bytes; a container from the tag gets the new image'
    Write-Code '$pin | New-PinnedContainer -Name demo-db-3 -Wait -Logs'
    $third = $pin | New-PinnedContainer -Name demo-db-3 -Wait -Logs -Network none -EngineUri $engine
    $created.Add($third)
    Write-Code "New-PinnedContainer ${app}:stable -Name demo-from-tag -Wait -Logs"
    $fromTag = New-PinnedContainer "${app}:stable" -Name demo-from-tag -Wait -Logs -Network none -EngineUri $engine
    $created.Add($fromTag)
    @($replicas) + $third + $fromTag | ForEach-Object { Write-Container $_ }
    $sameDigest = @(@($replicas) + $third | Where-Object Digest -EQ $pin.Digest).Count
    Write-Host "$sameDigest of 3 replicas run $($pin.Digest); the tag's container runs $($fromTag.Digest)"

    Write-Step '6. Local images with their digests (docker images --digests, as objects)'
    Write-Code 'Get-ImageDigest -Local -All'
    Get-ImageDigest -Local -All -EngineUri $engine | Format-Table Repository, Tag, Digest, ImageId -Wrap | Out-Host

    Write-Step '7. Keeping the pin: someone else started a database from a tag, not a digest'
    $db = "$registry/demo/db"
    Copy-TestImage -Source $settings.Fixtures.Oci.Reference -Destination "${db}:8.4"
    Write-Code "docker run -d --name demo-legacy --network none ${db}:8.4 sleep 600     # (someone else, yesterday)"
    Invoke-ImagePull "${db}:8.4" -EngineUri $engine | Out-Null
    $legacy = Invoke-EngineApi $engine Post '/containers/create?name=demo-legacy' @{ Image = "${db}:8.4"; Cmd = @('sleep', '600'); HostConfig = @{ NetworkMode = 'none' } }
    $created.Add([pscustomobject]@{ Id = $legacy.Id; Name = 'demo-legacy' })
    Invoke-EngineApi $engine Post "/containers/$($legacy.Id)/start" | Out-Null
    Write-Code 'Get-ImageDrift demo-legacy'
    Write-Drift (Get-ImageDrift demo-legacy -EngineUri $engine)

    Write-Step '8. The tag moves: drift says so'
    Copy-TestImage -Source $settings.Fixtures.OciAlt.Reference -Destination "${db}:8.4"
    Write-Code 'Get-ImageDrift demo-legacy'
    $before = Get-ImageDrift demo-legacy -EngineUri $engine
    Write-Drift $before

    Write-Step '9. Two read replicas like demo-legacy: they run its bytes, not what the tag names now'
    Write-Code 'New-PinnedContainer -FromContainer demo-legacy -Name demo-legacy-replica -Count 2 -Start'
    $likeLegacy = @(New-PinnedContainer -FromContainer demo-legacy -Name demo-legacy-replica -Count 2 -Start -EngineUri $engine)
    $likeLegacy | ForEach-Object { $created.Add($_) }
    Write-Code 'Get-ImageDrift demo-legacy, demo-legacy-replica-1, demo-legacy-replica-2'
    Write-Drift (Get-ImageDrift demo-legacy, demo-legacy-replica-1, demo-legacy-replica-2 -EngineUri $engine)
    Write-Host "the replicas' configured image: $($likeLegacy[0].Image)"

    Write-Step '10. The registry deletes the old manifest: every container on it is now PinMissing'
    $old = $before.RunningDigest
    Write-Code "DELETE /v2/demo/db/manifests/$old"
    Invoke-RestMethod -Method Delete -Uri "http://$registry/v2/demo/db/manifests/$old" | Out-Null
    Write-Code 'Get-ImageDrift demo-legacy, demo-legacy-replica-1, demo-legacy-replica-2'
    Write-Drift (Get-ImageDrift demo-legacy, demo-legacy-replica-1, demo-legacy-replica-2 -EngineUri $engine)
    Write-Host 'push the old image again (or move to the new one) before the engine loses its copy'
}
finally {
    Write-Step 'Cleaning up'
    foreach ($container in $created) {
        try { Remove-EngineObject $engine "/containers/$($container.Id)?force=true" } catch { Write-Warning "could not remove $($container.Name): $_" }
    }
    if ($engine -and $environment -and -not $environment.DockerPid) {
        # A borrowed engine keeps its other images; remove only what the demo pulled.
        foreach ($image in @(Get-ImageDigest -Local -All -EngineUri $engine -ErrorAction SilentlyContinue | Where-Object Repository -Like "$registry/*")) {
            try { Remove-EngineObject $engine "/images/$($image.ImageId)?force=true" } catch { }
        }
    }
    if ($environment) { Stop-TestEnvironment $environment }
    Write-Host 'done: containers removed, registry and private engine stopped'
}
