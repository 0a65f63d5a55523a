# The two engines: a private dockerd 20.10 and podman's Docker-compatible service, each with its own
# roots and unix socket inside the state directory, no bridge network, no iptables.

function Start-PrivateDockerd {
    # StorageDrivers: tried in order; overlay2 fails on some hosts (e.g. overlay on overlay).
    # Name: the folder and socket name, so a second daemon (the Swarm one) lives beside the first.
    param([Parameter(Mandatory)] [string] $StateDir, [string[]] $StorageDrivers = @('overlay2', 'vfs'), [string] $Name = 'docker')
    $root = Join-Path $StateDir $Name
    New-Item -ItemType Directory -Force -Path $root | Out-Null
    $socket = Join-Path $StateDir "$Name.sock"
    $configFile = Join-Path $root 'daemon.json'
    # An empty config file of our own, so a host /etc/docker/daemon.json cannot change the daemon.
    Set-Content -Path $configFile -Value '{}'
    Start-WithStorageFallback -What 'dockerd' -Root $root -Socket $socket -StorageDrivers $StorageDrivers -Launch {
        param($driver)
        $log = Join-Path $root "dockerd-$driver.log"
        $arguments = @(
            '--config-file', $configFile,
            '--data-root', (Join-Path $root 'data'), '--exec-root', (Join-Path $root 'exec'),
            '--pidfile', (Join-Path $root 'dockerd.pid'), '-H', "unix://$socket",
            '--iptables=false', '--ip6tables=false', '--bridge=none', '--ip-forward=false', '--ip-masq=false',
            '--storage-driver', $driver, '--log-level', 'warn', '--shutdown-timeout', '2'
        )
        [pscustomobject]@{ Process = (Start-BackgroundProcess -FilePath 'dockerd' -ArgumentList $arguments -LogPath $log); LogPath = $log }
    }
}

function Start-PodmanService {
    param([Parameter(Mandatory)] [string] $StateDir, [Parameter(Mandatory)] [string] $Registry, [string[]] $StorageDrivers = @('overlay', 'vfs'))
    $root = Join-Path $StateDir 'podman'
    New-Item -ItemType Directory -Force -Path $root | Out-Null
    $socket = Join-Path $StateDir 'podman.sock'
    $containersConf = Join-Path $root 'containers.conf'
    $registriesConf = Join-Path $root 'registries.conf'
    $storageConf = Join-Path $root 'storage.conf'
    # Without these ulimits a container start fails ("error setting rlimit type 7") on this kind of host.
    Set-Content -Path $containersConf -Value @'
[network]
default_network = "none"
[engine]
events_logger = "file"
cgroup_manager = "cgroupfs"
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
'@
    # The fixture registry, and any other loopback registry a test starts (c/image matches "127.0.0.1"
    # as a prefix of "127.0.0.1:<port>"), are plain http.
    Set-Content -Path $registriesConf -Value @"
unqualified-search-registries = []
[[registry]]
location = "$Registry"
insecure = true
[[registry]]
location = "127.0.0.1"
insecure = true
[[registry]]
location = "localhost"
insecure = true
"@
    Start-WithStorageFallback -What 'podman service' -Root $root -Socket $socket -StorageDrivers $StorageDrivers -Launch {
        param($driver)
        $storageRoot = Join-Path $root "root-$driver"
        # Podman refuses a runroot longer than 50 characters (socket paths live below it): keep it short.
        $runRoot = Join-Path $StateDir 'prun'
        Remove-Item -Recurse -Force $runRoot -ErrorAction SilentlyContinue
        Set-Content -Path $storageConf -Value "[storage]`ndriver = `"$driver`"`nrunroot = `"$runRoot`"`ngraphroot = `"$storageRoot`"`n"
        $log = Join-Path $root "podman-$driver.log"
        $environment = @{ CONTAINERS_CONF = $containersConf; CONTAINERS_REGISTRIES_CONF = $registriesConf; CONTAINERS_STORAGE_CONF = $storageConf }
        $arguments = @(
            '--root', $storageRoot, '--runroot', $runRoot, '--tmpdir', (Join-Path $root 'tmp'),
            '--storage-driver', $driver, '--cgroup-manager', 'cgroupfs', '--events-backend', 'file',
            '--network-config-dir', (Join-Path $root 'networks'), '--log-level', 'warn',
            'system', 'service', '--time=0', "unix://$socket"
        )
        [pscustomobject]@{ Process = (Start-BackgroundProcess -FilePath 'podman' -ArgumentList $arguments -LogPath $log -Environment $environment); LogPath = $log }
    }
}

function Start-WithStorageFallback {
    # Tries each storage driver in order (overlay fails on some hosts, e.g. overlay on overlay): Launch
    # starts the daemon for one driver and returns its Process and LogPath; the first that answers /_ping wins.
    param([string] $What, [string] $Root, [string] $Socket, [string[]] $StorageDrivers, [scriptblock] $Launch)
    $failures = @()
    foreach ($driver in $StorageDrivers) {
        $started = & $Launch $driver
        try {
            Wait-UnixSocketPing -SocketPath $Socket -Process $started.Process -LogPath $started.LogPath -What "$What ($driver)"
            if ($failures) { Write-Warning "$What runs with storage driver ${driver}: $($StorageDrivers[0]) failed: $($failures -join '; ')" }
            return [pscustomobject]@{ Pid = $started.Process.Id; Host = "unix://$Socket"; StorageDriver = $driver; LogPath = $started.LogPath }
        }
        catch {
            $failures += $_.Exception.Message
            Stop-ProcessTree -Id $started.Process.Id -TimeoutSeconds 10
            Stop-ProcessUnderDirectory -Directory $Root
            Dismount-UnderDirectory -Directory $Root
            Remove-Item -Force $Socket -ErrorAction SilentlyContinue
        }
    }
    throw "$What did not start:`n$($failures -join "`n")"
}

function Initialize-TestSwarm {
    # Makes a private dockerd a single-node Swarm manager. The manager and data-path ports are free ones
    # (not 2377/4789), so test runs from several worktrees can each have their own swarm.
    param([Parameter(Mandatory)] [string] $DockerHost)
    $arguments = @('-H', $DockerHost, 'swarm', 'init', '--advertise-addr', '127.0.0.1',
        '--listen-addr', "127.0.0.1:$(Get-FreeTcpPort)", '--data-path-port', "$(Get-FreeTcpPort)")
    $result = Invoke-NativeCapture -FilePath 'docker' -ArgumentList $arguments
    if ($result.ExitCode -ne 0) { throw "docker swarm init on $DockerHost failed: $($result.StandardError.Trim())" }
}

function Exit-TestSwarm([string] $DockerHost) {
    # Leaving removes the swarm's services and their tasks before the daemon stops; quiet when already gone.
    Invoke-NativeCapture -FilePath 'docker' -ArgumentList @('-H', $DockerHost, 'swarm', 'leave', '--force') | Out-Null
}
