# The servers a benchmark run needs come from the shared test environment (tests/infra/TestEnvironment.psm1):
# a loopback registry, a private dockerd and a podman service (only the First call scenario asks Podman), all under one
# state directory, stopped by PID. The benchmarks fill their own repositories in that registry.

function Start-BenchEnvironment {
    <#
    .SYNOPSIS
        Starts the test environment; returns Registry (host:port), DockerHost (unix://...), StateDir, Handle.
    #>
    param([Parameter(Mandatory)] [string] $RepositoryRoot)
    Import-Module (Join-Path $RepositoryRoot 'tests/infra/TestEnvironment.psm1') -Force -Global
    Install-TestPrerequisite
    $handle = Start-TestEnvironment
    $environment = Get-Content -Raw $handle.File | ConvertFrom-Json
    [pscustomobject]@{ StateDir = $handle.StateDir; Registry = $environment.Registry; DockerHost = $environment.DockerHost; PodmanHost = $environment.PodmanHost; Handle = $handle }
}

function Stop-BenchEnvironment([object] $Environment) {
    # Quiet when nothing started; Stop-TestEnvironment removes containers, daemons, mounts and the state dir.
    if ($Environment -and $Environment.Handle) { Stop-TestEnvironment $Environment.Handle }
}
