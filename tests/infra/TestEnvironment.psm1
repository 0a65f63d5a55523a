<#
.SYNOPSIS
    The shared test environment: a real CNCF registry with fixture images, a private dockerd and a
    podman API service, all on loopback, all under one state directory, all stopped by PID.
.DESCRIPTION
    build.ps1 -Task Test calls Install-TestPrerequisite, Start-TestEnvironment and Stop-TestEnvironment.
    Tests read the environment with Get-TestEnvironment (the JSON named by $env:DIGESTTOOLS_TEST_ENV) and
    use the helpers below to start extra registries, copy images and read digests independently (skopeo).
#>
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$script:FixtureRepository = 'fixtures/busybox'
$script:MultiRepository = 'fixtures/multi'
$script:MediaTypes = @{
    OciManifest    = 'application/vnd.oci.image.manifest.v1+json'
    OciIndex       = 'application/vnd.oci.image.index.v1+json'
    OciConfig      = 'application/vnd.oci.image.config.v1+json'
    DockerManifest = 'application/vnd.docker.distribution.manifest.v2+json'
    DockerList     = 'application/vnd.docker.distribution.manifest.list.v2+json'
    InToto         = 'application/vnd.in-toto+json'
}

. (Join-Path $PSScriptRoot 'NativeProcess.ps1')
. (Join-Path $PSScriptRoot 'FixtureLayout.ps1')
. (Join-Path $PSScriptRoot 'Daemons.ps1')
. (Join-Path $PSScriptRoot 'FaultProxy.ps1')

function Install-TestPrerequisite {
    <#
    .SYNOPSIS
        Installs the Debian packages the environment needs, only those missing; safe to run twice.
    #>
    [CmdletBinding()]
    param()
    # openssl: the auth tests sign tokens with a self-signed key; apache2-utils: htpasswd -B;
    # docker-compose: parses the compose files Update-ImagePin rewrote.
    $packages = 'docker-registry', 'skopeo', 'umoci', 'busybox-static', 'docker.io', 'podman', 'apache2-utils', 'openssl', 'docker-compose'
    $status = & dpkg-query -W -f '${Package} ${Status}\n' @packages 2>$null
    $installed = @($status | Where-Object { $_ -match ' install ok installed$' } | ForEach-Object { $_.Split(' ')[0] })
    $missing = @($packages | Where-Object { $_ -notin $installed })
    if ($missing.Count -eq 0) { Write-Verbose 'Test prerequisites already installed.'; return }
    if ((& id -u) -ne '0') { throw "Missing packages ($($missing -join ', ')) and not root: install them with apt-get." }
    Write-Host "Installing test prerequisites: $($missing -join ' ')"
    $noPrompt = @{ DEBIAN_FRONTEND = 'noninteractive' }
    $aptOptions = @('-q', '-o', 'Dpkg::Use-Pty=0')
    $update = Invoke-NativeCapture -FilePath 'apt-get' -ArgumentList (@('update') + $aptOptions) -Environment $noPrompt
    if ($update.ExitCode -ne 0) { throw "apt-get update failed ($($update.ExitCode)):`n$($update.StandardError)" }
    $install = Invoke-NativeCapture -FilePath 'apt-get' -ArgumentList (@('install', '-y') + $aptOptions + $missing) -Environment $noPrompt
    if ($install.ExitCode -ne 0) {
        throw "apt-get install $($missing -join ' ') failed ($($install.ExitCode)):`n$($install.StandardOutputText)`n$($install.StandardError)"
    }
}

function Get-FreeTcpPort {
    <#
    .SYNOPSIS
        Asks the OS for a free loopback TCP port (bind port 0, read it, close).
    #>
    [CmdletBinding()]
    [OutputType([int])]
    param()
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    try { $listener.Start(); $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Get-TestEnvironment {
    <#
    .SYNOPSIS
        Reads the environment JSON written by Start-TestEnvironment ($env:DIGESTTOOLS_TEST_ENV).
    #>
    [CmdletBinding()]
    param([string] $Path = $env:DIGESTTOOLS_TEST_ENV)
    if (-not $Path -or -not (Test-Path $Path)) {
        throw 'No test environment: run through build.ps1 -Task Test, or Start-TestEnvironment and set $env:DIGESTTOOLS_TEST_ENV.'
    }
    Get-Content -Raw $Path | ConvertFrom-Json
}

function New-TestStateDirectory([string] $Prefix = 'digesttools-test') {
    # /tmp, not $TMPDIR: podman limits its runroot (inside this dir) to 50 characters.
    $path = Join-Path '/tmp' ("$Prefix-" + [System.IO.Path]::GetRandomFileName().Replace('.', '').Substring(0, 8))
    New-Item -ItemType Directory -Path $path | Out-Null
    # Who owns it: lets a later run recognise directories left by a killed run.
    Set-Content -Path (Join-Path $path 'owner.pid') -Value $PID
    $path
}

function Start-TestRegistry {
    <#
    .SYNOPSIS
        Starts a CNCF registry (docker-registry serve) on a free loopback port; deletes enabled.
    .PARAMETER AuthConfig
        The `auth:` section: a hashtable (e.g. @{ htpasswd = @{ realm = 'basic-realm'; path = '/x/htpasswd' } })
        or YAML text (its lines are indented under `auth:`).
    .OUTPUTS
        Address (127.0.0.1:port), ConfigPath, DataPath, LogPath, Pid; stop with Stop-TestRegistry or .Stop().
    #>
    [CmdletBinding()]
    param(
        [Alias('ConfigAuth')] [object] $AuthConfig,
        [string] $Name = 'registry',
        # Where its config, data and log go; default: under the test environment's state dir or a new temp dir.
        [string] $Directory
    )
    $cleanupPath = $Directory
    if (-not $Directory) {
        $insideEnvironment = $env:DIGESTTOOLS_TEST_ENV -and (Test-Path $env:DIGESTTOOLS_TEST_ENV)
        $base = if ($insideEnvironment) { (Get-TestEnvironment).StateDir } else { New-TestStateDirectory 'digesttools-registry' }
        $Directory = Join-Path $base ("$Name-" + [System.IO.Path]::GetRandomFileName().Replace('.', '').Substring(0, 6))
        $cleanupPath = if ($insideEnvironment) { $Directory } else { $base }
    }
    # [NullString]: a PowerShell $null would reach a string parameter as "".
    $authText = if (-not $AuthConfig) { [NullString]::Value }
        elseif ($AuthConfig -is [System.Collections.IDictionary]) { ConvertTo-YamlBlock $AuthConfig 1 }
        else { ($AuthConfig -split "`r?`n" | Where-Object { $_.Trim() } | ForEach-Object { "  $_" }) -join "`n" }
    Import-TestServers
    # The launcher xunit uses too: config, start through sh -c exec (log in a file), wait for /v2/.
    try { $process = [DigestTools.TestServers.RegistryProcess]::Start($Directory, [NullString]::Value, $authText) }
    catch {
        # Keep a failed registry's files only when the caller chose where they go (for its post-mortem).
        if (-not $PSBoundParameters.ContainsKey('Directory') -and $cleanupPath -ne $Directory) { & rm -rf -- $cleanupPath }
        throw "registry $Name did not start: $($_.Exception.InnerException.Message ?? $_.Exception.Message)"
    }
    $registry = [pscustomobject]@{
        PSTypeName  = 'DigestTools.TestRegistry'
        Name        = $Name
        Address     = $process.Address
        ConfigPath  = $process.ConfigPath
        DataPath    = $process.DataPath
        LogPath     = $process.LogPath
        Directory   = $Directory
        CleanupPath = $cleanupPath
        Pid         = $process.Pid
    }
    $registry | Add-Member -MemberType ScriptMethod -Name Stop -Value { Stop-ProcessTree -Id $this.Pid }
    $registry
}

function Stop-TestRegistry {
    <#
    .SYNOPSIS
        Stops a registry started by Start-TestRegistry (by PID); quiet if it already stopped.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] [object] $Registry, [switch] $RemoveData)
    process {
        Stop-ProcessTree -Id $Registry.Pid
        if ($RemoveData) { & rm -rf -- $Registry.CleanupPath }
    }
}

function ConvertTo-YamlBlock([System.Collections.IDictionary] $Map, [int] $Depth) {
    # Enough YAML for registry auth sections: nested maps of scalars, strings single-quoted.
    $indent = '  ' * $Depth
    $lines = foreach ($key in $Map.Keys) {
        $value = $Map[$key]
        if ($value -is [System.Collections.IDictionary]) { "$indent${key}:"; ConvertTo-YamlBlock $value ($Depth + 1) }
        elseif ($value -is [bool]) { "$indent${key}: $("$value".ToLowerInvariant())" }
        elseif ($value -is [int] -or $value -is [long]) { "$indent${key}: $value" }
        else { "$indent${key}: '$("$value".Replace("'", "''"))'" }
    }
    $lines -join "`n"
}

function ConvertTo-SkopeoReference([string] $Reference) {
    if ($Reference -match '^(docker|oci|docker-archive|oci-archive|dir|containers-storage|docker-daemon):') { $Reference } else { "docker://$Reference" }
}

function Copy-TestImage {
    <#
    .SYNOPSIS
        skopeo copy between registries over plain http (or from the fixture layout: oci:<path>:<tag>).
    .PARAMETER SourceCredential
        user:password for an htpasswd registry (never printed).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Source,
        [Parameter(Mandatory)] [string] $Destination,
        [ValidateSet('oci', 'v2s2')] [string] $Format,
        [switch] $All,
        # Fail rather than let skopeo rewrite (e.g. compress) anything: the pushed digest equals the source's.
        [switch] $PreserveDigests,
        [string] $SourceCredential,
        [string] $DestinationCredential,
        # Return the pushed manifest digest (skopeo --digestfile).
        [switch] $PassThru
    )
    $digestFile = [System.IO.Path]::GetTempFileName()
    try {
        $arguments = @('--insecure-policy', 'copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false', '--digestfile', $digestFile)
        if ($Format) { $arguments += @('--format', $Format) }
        if ($All) { $arguments += '--all' }
        if ($PreserveDigests) { $arguments += '--preserve-digests' }
        $arguments += if ($SourceCredential) { @('--src-creds', $SourceCredential) } else { @('--src-no-creds') }
        $arguments += if ($DestinationCredential) { @('--dest-creds', $DestinationCredential) } else { @('--dest-no-creds') }
        $arguments += @((ConvertTo-SkopeoReference $Source), (ConvertTo-SkopeoReference $Destination))
        $result = Invoke-NativeCapture -FilePath 'skopeo' -ArgumentList $arguments
        if ($result.ExitCode -ne 0) { throw "skopeo copy $Source -> $Destination failed: $($result.StandardError.Trim())" }
        if ($PassThru) { (Get-Content -Raw $digestFile).Trim() }
    }
    finally { Remove-Item $digestFile -ErrorAction SilentlyContinue }
}

function Get-SkopeoManifest {
    <#
    .SYNOPSIS
        The raw manifest bytes (skopeo inspect --raw), their sha256 digest, and skopeo's own .Digest.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Reference, [string] $Credential)
    $creds = if ($Credential) { @('--creds', $Credential) } else { @('--no-creds') }
    $ref = ConvertTo-SkopeoReference $Reference
    $raw = Invoke-NativeCapture -FilePath 'skopeo' -ArgumentList (@('--insecure-policy', 'inspect', '--raw', '--tls-verify=false') + $creds + $ref)
    if ($raw.ExitCode -ne 0) { throw "skopeo inspect --raw $Reference failed: $($raw.StandardError.Trim())" }
    $inspect = Invoke-NativeCapture -FilePath 'skopeo' -ArgumentList (@('--insecure-policy', 'inspect', '--tls-verify=false') + $creds + $ref)
    if ($inspect.ExitCode -ne 0) { throw "skopeo inspect $Reference failed: $($inspect.StandardError.Trim())" }
    $hash = [System.Security.Cryptography.SHA256]::HashData($raw.StandardOutput)
    $text = [System.Text.Encoding]::UTF8.GetString($raw.StandardOutput)
    [pscustomobject]@{
        Reference     = $Reference
        RawDigest     = 'sha256:' + [System.Convert]::ToHexString($hash).ToLowerInvariant()
        InspectDigest = ($inspect.StandardOutputText | ConvertFrom-Json).Digest
        MediaType     = ($text | ConvertFrom-Json).mediaType
        Raw           = $text
    }
}

function Get-SkopeoDigest {
    <#
    .SYNOPSIS
        The manifest digest of a reference as skopeo sees it (an oracle independent of DigestTools).
        Throws when the hash of the raw manifest and skopeo inspect's .Digest disagree.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory, Position = 0)] [string] $Reference, [string] $Credential)
    $m = Get-SkopeoManifest -Reference $Reference -Credential $Credential
    if ($m.RawDigest -ne $m.InspectDigest) { throw "skopeo disagrees with itself on ${Reference}: raw $($m.RawDigest) vs inspect $($m.InspectDigest)" }
    $m.RawDigest
}

function Start-TestEnvironment {
    <#
    .SYNOPSIS
        Starts registry (with fixtures), dockerd and podman service; writes the environment JSON.
    .DESCRIPTION
        A watchdog in its own session stops everything if this PowerShell process dies without calling
        Stop-TestEnvironment (kill -9, CI timeout); Ctrl+C is covered by build.ps1's finally block.
    .OUTPUTS
        An object with File (the JSON path), StateDir and the PIDs Stop-TestEnvironment needs.
    #>
    [CmdletBinding()]
    param([switch] $NoEngines)
    Remove-StaleTestState
    # Built before anything starts: a compile error then leaves nothing running.
    $testServers = Get-FaultProxyAssembly
    $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
    $stateDir = New-TestStateDirectory
    $handle = [pscustomobject]@{
        PSTypeName  = 'DigestTools.TestEnvironmentHandle'
        StateDir    = $stateDir
        File        = Join-Path $stateDir 'environment.json'
        WatchdogPid = $null
        Registry    = $null
        DockerPid   = $null
        PodmanPid   = $null
        SwarmPid    = $null
        SwarmHost   = $null
    }
    $ready = $false
    # finally, not catch: it also runs when Ctrl+C stops the pipeline half-way.
    try {
        $handle.WatchdogPid = Start-CleanupWatchdog -StateDir $stateDir
        $handle.Registry = Start-TestRegistry -Name 'registry' -Directory (Join-Path $stateDir 'registry')
        Save-TestEnvironmentHandle $handle
        $fixtures = Publish-Fixture -StateDir $stateDir -Registry $handle.Registry.Address
        Write-Verbose "registry and fixtures ready after $($stopwatch.ElapsedMilliseconds) ms"
        $docker = $null; $podman = $null; $swarm = $null
        if (-not $NoEngines) {
            $docker = Start-PrivateDockerd -StateDir $stateDir
            $handle.DockerPid = $docker.Pid
            Save-TestEnvironmentHandle $handle
            $podman = Start-PodmanService -StateDir $stateDir -Registry $handle.Registry.Address
            $handle.PodmanPid = $podman.Pid
            Save-TestEnvironmentHandle $handle
            # A second dockerd, a single-node Swarm manager: the service tests and the many-engine tests
            # use it, and the tests of the first engine never see a swarm.
            $swarm = Start-PrivateDockerd -StateDir $stateDir -Name 'swarm'
            $handle.SwarmPid = $swarm.Pid
            $handle.SwarmHost = $swarm.Host
            Save-TestEnvironmentHandle $handle
            Initialize-TestSwarm -DockerHost $swarm.Host
        }
        $environment = [ordered]@{
            StateDir       = $stateDir
            Registry       = $handle.Registry.Address
            RegistryConfig = $handle.Registry.ConfigPath
            DockerHost     = if ($docker) { $docker.Host } else { $null }
            DockerStorage  = if ($docker) { $docker.StorageDriver } else { $null }
            PodmanHost     = if ($podman) { $podman.Host } else { $null }
            PodmanStorage  = if ($podman) { $podman.StorageDriver } else { $null }
            SwarmHost      = if ($swarm) { $swarm.Host } else { $null }
            FixtureLayout  = $fixtures.Layout
            Fixtures       = $fixtures.Fixtures
            TestServers    = $testServers
        }
        $environment | ConvertTo-Json -Depth 10 | Set-Content -Path $handle.File
        Write-Host ("Test environment ready in {0:N1} s: {1}" -f $stopwatch.Elapsed.TotalSeconds, $handle.File)
        $ready = $true
        $handle
    }
    finally {
        if (-not $ready) { Stop-TestEnvironment $handle }
    }
}

function Save-TestEnvironmentHandle([object] $Handle) {
    # What the watchdog's cleanup reads to stop things in order.
    $Handle | ConvertTo-Json -Depth 5 | Set-Content -Path (Join-Path $Handle.StateDir 'handle.json')
}

function Start-CleanupWatchdog([string] $StateDir) {
    # A shell in its own session (Ctrl+C does not reach it) polls this process; if it dies while the
    # state dir still exists, the shell becomes a PowerShell that runs Stop-TestEnvironment.
    $pwshCommand = @(Get-PwshCommand)
    $cleanup = Join-Path $PSScriptRoot 'Invoke-TestEnvironmentCleanup.ps1'
    $arguments = @('/bin/sh', '-c', 'owner=$1; dir=$2; shift 2; while kill -0 "$owner" 2>/dev/null && [ -d "$dir" ]; do sleep 1; done; [ -d "$dir" ] && exec "$@"',
        'watchdog', "$PID", $StateDir) + $pwshCommand + @('-NoProfile', '-NonInteractive', '-File', $cleanup, '-StateDir', $StateDir)
    $process = Start-BackgroundProcess -FilePath 'setsid' -ArgumentList $arguments -LogPath (Join-Path $StateDir 'watchdog.log')
    $process.Id
}

function Stop-TestEnvironment {
    <#
    .SYNOPSIS
        Stops podman, dockerd (and what they spawned), the registry; unmounts leftovers; removes the state dir.
        Never throws for things already stopped.
    #>
    [CmdletBinding()]
    param([Parameter(Position = 0)] [object] $Environment)
    if (-not $Environment) { return }
    # Accepts the live handle, one read back from handle.json, or a bare @{ StateDir = ... }.
    function Get-Field([string] $Name) { $p = $Environment.PSObject.Properties[$Name]; if ($p) { $p.Value } elseif ($Environment -is [System.Collections.IDictionary]) { $Environment[$Name] } }
    $stateDir = Get-Field 'StateDir'
    $watchdog = Get-Field 'WatchdogPid'
    if ($watchdog -and $watchdog -ne $PID) { Stop-ProcessTree -Id $watchdog -TimeoutSeconds 0 }
    # Containers first: their processes would otherwise outlive conmon, and dockerd would wait for them.
    if ($stateDir) { Stop-ContainerProcess -StateDir $stateDir }
    if ($id = Get-Field 'PodmanPid') { Stop-ProcessTree -Id $id -TimeoutSeconds 10 }
    if ($id = Get-Field 'SwarmPid') {
        if ($swarmHost = Get-Field 'SwarmHost') { Exit-TestSwarm -DockerHost $swarmHost }
        Stop-ProcessTree -Id $id -TimeoutSeconds 20
    }
    if ($id = Get-Field 'DockerPid') { Stop-ProcessTree -Id $id -TimeoutSeconds 20 }
    if ($registry = Get-Field 'Registry') { Stop-ProcessTree -Id $registry.Pid }
    if ($stateDir) { Clear-TestStateDirectory -Path $stateDir }
}

function Clear-TestStateDirectory([string] $Path) {
    # Anything still running from inside the directory (shims, conmon, extra registries) was started by us.
    Stop-ProcessUnderDirectory -Directory $Path
    Dismount-UnderDirectory -Directory $Path
    # rm copes with read-only layer files and dangling symlinks that Remove-Item trips over.
    & rm -rf -- $Path 2>$null
    if (Test-Path $Path) { Write-Warning "Could not remove $Path completely." }
}

function Remove-StaleTestState {
    # A killed run (kill -9, closed terminal) leaves its state dir behind; its owner PID is then gone.
    foreach ($dir in Get-ChildItem -Directory -Path '/tmp' -Filter 'digesttools-*' -ErrorAction SilentlyContinue) {
        $ownerFile = Join-Path $dir.FullName 'owner.pid'
        if (-not (Test-Path $ownerFile)) { continue }
        $owner = [int](Get-Content -Raw $ownerFile)
        if (-not (Test-Path "/proc/$owner")) {
            Write-Verbose "Removing stale test state $($dir.FullName) (owner $owner is gone)"
            Clear-TestStateDirectory -Path $dir.FullName
        }
    }
}

Export-ModuleMember -Function Install-TestPrerequisite, Get-FreeTcpPort, Get-TestEnvironment, Start-TestEnvironment, Stop-TestEnvironment,
    Start-TestRegistry, Stop-TestRegistry, Copy-TestImage, Get-SkopeoDigest, Get-SkopeoManifest,
    Get-PwshCommand, Invoke-ChildPwsh, Import-TestServers, Start-FaultProxy, Stop-FaultProxy, Set-FaultRule, Get-FaultRule, Clear-FaultRule, Get-ProxyRequest, Clear-ProxyRequest, Start-EchoServer
