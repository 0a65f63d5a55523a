# The README's first command runs src/demo/Show-PinningStory.ps1: prove its story holds on a real engine.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'infra/TestEnvironment.psm1')
    $script:Settings = Get-TestEnvironment
    $script:Script = Join-Path $PSScriptRoot '../src/demo/Show-PinningStory.ps1'
}

Describe 'The pinning demo' -Tag Demo, Engine {
    BeforeAll {
        # Borrow the test run's dockerd through DOCKER_HOST, as a user with an engine would.
        $saved = $env:DOCKER_HOST
        $env:DOCKER_HOST = $Settings.DockerHost
        try { $script:Output = (Invoke-ChildPwsh @('-File', $Script, '-ModulePath', $env:DIGESTTOOLS_MODULE) *>&1 | Out-String) -replace '\x1b\[[0-9;]*m', '' }
        finally { $env:DOCKER_HOST = $saved }
        $script:ExitCode = $LASTEXITCODE
    }

    It 'runs to the end and borrows the engine at DOCKER_HOST' {
        $ExitCode | Should -Be 0 -Because $Output
        $Output | Should -Match ([regex]::Escape("using the engine at DOCKER_HOST: $($Settings.DockerHost)"))
        $Output | Should -Match 'done: containers removed'
    }

    It 'keeps all three replicas on the pinned digest while the tag moves to another' {
        $Output -match 'the pin still names (sha256:[0-9a-f]{64})' | Should -BeTrue
        $pinned = $Matches[1]
        $Output -match 'the tag now names (sha256:[0-9a-f]{64})' | Should -BeTrue
        $moved = $Matches[1]
        $moved | Should -Not -Be $pinned
        $Output | Should -Match ([regex]::Escape("3 of 3 replicas run $pinned; the tag's container runs $moved"))
        @([regex]::Matches($Output, 'demo-db-\d\s+' + [regex]::Escape($pinned) + '\s+exit 0\s+says: hello')).Count | Should -BeGreaterOrEqual 3
        $Output | Should -Match ('demo-from-tag\s+' + [regex]::Escape($moved) + '\s+exit 0\s+says: alt')
    }

    It 'shows drift: the legacy container Current, then TagMoved; its replicas pinned to its old bytes; then PinMissing' {
        $Output -match 'demo-legacy\s+Current\s+pinned=False\s+runs (sha256:[0-9a-f]{64})' | Should -BeTrue -Because $Output
        $old = $Matches[1]
        $Output | Should -Match ('demo-legacy\s+TagMoved\s+pinned=False\s+runs ' + [regex]::Escape($old))
        foreach ($n in 1, 2) {
            $Output | Should -Match ("demo-legacy-replica-$n\s+TagMoved\s+pinned=True\s+runs " + [regex]::Escape($old))
            $Output | Should -Match ("demo-legacy-replica-$n\s+PinMissing\s+pinned=True\s+runs " + [regex]::Escape($old))
        }
        $Output | Should -Match ('demo-legacy\s+PinMissing\s+pinned=False\s+runs ' + [regex]::Escape($old))
        $Output | Should -Match ("the replicas' configured image: \S+/demo/db@" + [regex]::Escape($old))
    }

    It 'leaves no demo container behind on the borrowed engine' {
        $socket = $Settings.DockerHost.Substring(7)
        $all = Invoke-RestMethod -UnixSocket $socket -Uri 'http://localhost/v1.41/containers/json?all=1'
        @($all | Where-Object { $_.Names -match '^/demo-' }).Count | Should -Be 0   # demo-legacy and its replicas too
    }
}

Describe 'The Swarm chapter of the demo' -Tag Demo, Swarm {
    BeforeAll {
        # Borrows the test run's Swarm manager; the service it creates is removed at the end.
        $script:SwarmScript = Join-Path $PSScriptRoot '../src/demo/Show-SwarmStory.ps1'
        $script:SwarmOutput = (Invoke-ChildPwsh @('-File', $SwarmScript, '-ModulePath', $env:DIGESTTOOLS_MODULE, '-EngineUri', $Settings.SwarmHost) *>&1 | Out-String) -replace '\x1b\[[0-9;]*m', ''
        $script:SwarmExitCode = $LASTEXITCODE
    }

    It 'runs to the end and removes its service' {
        $SwarmExitCode | Should -Be 0 -Because $SwarmOutput
        $SwarmOutput | Should -Match 'done: service removed'
        & docker -H $Settings.SwarmHost service inspect demo-web *> $null
        $LASTEXITCODE | Should -Not -Be 0
    }

    It 'keeps the service on its digest while the tag moves, until Update-PinnedService rolls every task' {
        $SwarmOutput -match 'the tag now names (sha256:[0-9a-f]{64})' | Should -BeTrue
        $moved = $Matches[1]
        $SwarmOutput -match 'the service still runs (sha256:[0-9a-f]{64}) \(no node' | Should -BeTrue
        $pinned = $Matches[1]
        $pinned | Should -Not -Be $moved
        $SwarmOutput | Should -Match ([regex]::Escape("Updated: $pinned -> $moved"))
        $SwarmOutput | Should -Match ([regex]::Escape("2 of 2 tasks run $moved"))
        $SwarmOutput | Should -Match 'Status\s+Unchanged'
    }
}
