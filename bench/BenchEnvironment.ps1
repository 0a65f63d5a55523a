# The servers a benchmark run needs: a loopback registry and a private dockerd, started by this run and
# stopped by PID. The shared test environment (tests/infra/TestEnvironment.psm1) is used when the
# repository has it; the small local functions below are the fallback for a tree without it.

function Get-BenchFreeTcpPort {
    # Ask the OS for a free loopback port: other registries run on this machine at the same time.
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    try { $listener.Start(); $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Wait-BenchReady([scriptblock] $Probe, [System.Diagnostics.Process] $Process, [string] $What, [string] $LogPath) {
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ([DateTime]::UtcNow -lt $deadline) {
        if ($Process.HasExited) { throw "$What exited early ($($Process.ExitCode)): $(Get-Content -Tail 20 $LogPath -ErrorAction SilentlyContinue)" }
        if (& $Probe) { return }
        Start-Sleep -Milliseconds 100
    }
    throw "$What not ready after 30 s: $(Get-Content -Tail 20 $LogPath -ErrorAction SilentlyContinue)"
}

function Start-BenchProcess([string] $FilePath, [string[]] $ArgumentList, [string] $LogPath) {
    # A second file for stderr: Start-Process cannot send both streams to one file.
    Start-Process -FilePath $FilePath -ArgumentList $ArgumentList -PassThru -RedirectStandardOutput "$LogPath.out" -RedirectStandardError $LogPath
}

function Stop-BenchProcess([int] $Id, [int] $TimeoutSeconds = 20) {
    # SIGTERM lets dockerd unmount and remove its socket; SIGKILL only if it does not leave in time.
    if (-not (Test-Path "/proc/$Id")) { return }
    & kill -TERM $Id 2>$null
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ((Test-Path "/proc/$Id") -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    if (Test-Path "/proc/$Id") { & kill -KILL $Id 2>$null }
}

function Start-LocalBenchEnvironment([string] $StateDir) {
    $environment = [pscustomobject]@{ StateDir = $StateDir; Registry = $null; DockerHost = $null; RegistryPid = $null; DockerPid = $null; Handle = $null }
    try {
        $port = Get-BenchFreeTcpPort
        $environment.Registry = "127.0.0.1:$port"
        $config = Join-Path $StateDir 'registry.yml'
        Set-Content -Path $config -Value @"
version: 0.1
log: { level: warn, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: '$(Join-Path $StateDir 'registry-data')' }, delete: { enabled: true } }
http: { addr: '127.0.0.1:$port' }
"@
        $log = Join-Path $StateDir 'registry.log'
        $registry = Start-BenchProcess 'docker-registry' @('serve', $config) $log
        $environment.RegistryPid = $registry.Id
        $address = $environment.Registry
        Wait-BenchReady { (& curl -s -o /dev/null -w '%{http_code}' "http://$address/v2/") -eq '200' } $registry 'registry' $log

        $root = Join-Path $StateDir 'docker'
        New-Item -ItemType Directory -Force -Path $root | Out-Null
        $socket = Join-Path $StateDir 'docker.sock'
        $config = Join-Path $root 'daemon.json'
        Set-Content -Path $config -Value '{}'
        $log = Join-Path $StateDir 'dockerd.log'
        $dockerd = Start-BenchProcess 'dockerd' @(
            '--config-file', $config, '--data-root', (Join-Path $root 'data'), '--exec-root', (Join-Path $root 'exec'),
            '--pidfile', (Join-Path $root 'dockerd.pid'), '-H', "unix://$socket",
            '--iptables=false', '--ip6tables=false', '--bridge=none', '--storage-driver', 'overlay2', '--log-level', 'warn') $log
        $environment.DockerPid = $dockerd.Id
        $environment.DockerHost = "unix://$socket"
        Wait-BenchReady { (& curl -s --unix-socket $socket -o /dev/null -w '%{http_code}' 'http://d/_ping') -eq '200' } $dockerd 'dockerd' $log
        $environment
    }
    catch { Stop-BenchEnvironment $environment; throw }
}

function Start-BenchEnvironment {
    <#
    .SYNOPSIS
        Registry + dockerd on loopback for the benchmarks; returns Registry (host:port), DockerHost, StateDir.
    #>
    param([Parameter(Mandatory)] [string] $RepositoryRoot)
    $shared = Join-Path $RepositoryRoot 'tests/infra/TestEnvironment.psm1'
    if (Test-Path $shared) {
        Import-Module $shared -Force -Global
        Install-TestPrerequisite
        $handle = Start-TestEnvironment
        $json = Get-Content -Raw $handle.File | ConvertFrom-Json
        return [pscustomobject]@{ StateDir = $handle.StateDir; Registry = $json.Registry; DockerHost = $json.DockerHost; RegistryPid = $null; DockerPid = $null; Handle = $handle }
    }
    Write-Host 'tests/infra/TestEnvironment.psm1 not in this tree: starting a local registry and dockerd.'
    $stateDir = Join-Path ([System.IO.Path]::GetTempPath()) ('dt-bench-' + [System.IO.Path]::GetRandomFileName().Replace('.', '').Substring(0, 8))
    New-Item -ItemType Directory -Path $stateDir | Out-Null
    Start-LocalBenchEnvironment $stateDir
}

function Stop-BenchEnvironment([object] $Environment) {
    if (-not $Environment) { return }
    if ($Environment.Handle) { Stop-TestEnvironment $Environment.Handle; return }
    $stateDir = $Environment.StateDir
    if ($Environment.DockerHost -and $Environment.DockerPid -and (Test-Path "/proc/$($Environment.DockerPid)")) {
        # Containers first (network none, never started, but remove them so dockerd stops at once).
        $ids = & docker -H $Environment.DockerHost ps -aq 2>$null
        if ($ids) { & docker -H $Environment.DockerHost rm -f @ids 2>$null | Out-Null }
    }
    if ($Environment.DockerPid) { Stop-BenchProcess $Environment.DockerPid 20 }
    if ($Environment.RegistryPid) { Stop-BenchProcess $Environment.RegistryPid 5 }
    if ($stateDir -and (Test-Path $stateDir)) {
        # dockerd leaves its netns mount (and overlay mounts if killed) behind: unmount before removing.
        $mounts = Get-Content /proc/mounts | ForEach-Object { ($_ -split ' ')[1] } | Where-Object { $_.StartsWith($stateDir) } | Sort-Object -Descending { $_.Length }
        foreach ($mount in $mounts) { & umount -l $mount 2>$null }
        & rm -rf -- $stateDir 2>$null
    }
}
