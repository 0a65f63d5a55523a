# New-PinnedService and Update-PinnedService against a real single-node Swarm (the environment's second dockerd):
# services are created from repository:tag@digest, stay there while the tag moves, and roll only on Update-PinnedService.
# The docker CLI is the independent oracle for specs and tasks. Services are named dt-<run>-... so clean-up finds them.
BeforeAll {
    . (Join-Path $PSScriptRoot 'EngineTestSetup.ps1') -Purpose swarm
    $script:Swarm = $TestEnv.SwarmHost
    $script:Layout = $TestEnv.FixtureLayout.Path

    function Publish-LayoutImage([string] $Tag, [string] $Destination) {
        Copy-TestImage -Source "oci:${Layout}:$Tag" -Destination $Destination
        Get-SkopeoDigest $Destination
    }
    function Get-ServiceSpec([string] $Name) { Invoke-DockerCli $Swarm service inspect --format '{{json .Spec}}' $Name | ConvertFrom-Json }
    # The image of every task Swarm wants running, read from each task's container (what the engine actually runs).
    function Get-RunningTaskImage([string] $Name) {
        $ids = Invoke-DockerCli $Swarm service ps --filter desired-state=running --format '{{.ID}}' $Name
        foreach ($id in $ids) {
            $container = Invoke-DockerCli $Swarm inspect --type task --format '{{.Status.ContainerStatus.ContainerID}}' $id
            Invoke-DockerCli $Swarm inspect --type container --format '{{.Config.Image}}' $container
        }
    }
}

AfterAll {
    $names = & docker -H $Swarm service ls --filter "name=dt-$Run" --format '{{.Name}}' 2>$null
    foreach ($n in $names) { & docker -H $Swarm service rm $n *> $null }
}

Describe 'New-PinnedService' -Tag Swarm {
    BeforeAll {
        $script:Repo = "$Prefix/web"
        $script:FirstDigest = Publish-LayoutImage 'sleep' "${Repo}:stable"
    }

    It 'creates a replicated service from repository:tag@digest with the labels and settings, and -Wait returns when every task runs it' {
        $s = New-PinnedService "${Repo}:stable" -Name "dt-$Run-web" -Replicas 2 -EngineUri $Swarm -Wait -TimeoutSec 120 `
            -Environment @{ MODE = 'test' } -Label @{ 'com.example.tier' = 'web' } -Constraint 'node.role==manager' `
            -RestartCondition on-failure -RestartMaxAttempts 3 -UpdateParallelism 2 -UpdateDelay '00:00:02' `
            -UpdateFailureAction rollback -UpdateOrder start-first -UpdateMonitor '00:00:01' -Publish '80/tcp' -WorkingDirectory '/'
        $s | Should -BeOfType DigestTools.PinnedService
        $s.Image | Should -Be "${Repo}:stable@$FirstDigest"
        $s.PinnedReference | Should -Be "$Repo@$FirstDigest"
        $s.Status | Should -Be 'Created'
        $s.Mode | Should -Be 'replicated'
        $s.Replicas | Should -Be 2
        $s.RunningTasks | Should -Be 2

        $spec = Get-ServiceSpec "dt-$Run-web"
        $spec.TaskTemplate.ContainerSpec.Image | Should -Be "${Repo}:stable@$FirstDigest"
        $spec.Labels.'io.digesttools.source-reference' | Should -Be "${Repo}:stable"
        $spec.Labels.'io.digesttools.digest' | Should -Be $FirstDigest
        $spec.Labels.'com.example.tier' | Should -Be 'web'
        $spec.TaskTemplate.ContainerSpec.Labels.'io.digesttools.pinned-reference' | Should -Be "$Repo@$FirstDigest"
        $spec.TaskTemplate.ContainerSpec.Env | Should -Be @('MODE=test')
        $spec.TaskTemplate.ContainerSpec.Dir | Should -Be '/'
        $spec.TaskTemplate.Placement.Constraints | Should -Be @('node.role==manager')
        $spec.TaskTemplate.RestartPolicy.Condition | Should -Be 'on-failure'
        $spec.TaskTemplate.RestartPolicy.MaxAttempts | Should -Be 3
        $spec.UpdateConfig.Parallelism | Should -Be 2
        $spec.UpdateConfig.Delay | Should -Be 2000000000
        $spec.UpdateConfig.FailureAction | Should -Be 'rollback'
        $spec.UpdateConfig.Order | Should -Be 'start-first'
        $spec.UpdateConfig.Monitor | Should -Be 1000000000
        $spec.EndpointSpec.Ports[0].TargetPort | Should -Be 80
        $spec.EndpointSpec.Ports[0].PublishMode | Should -Be 'ingress'
        Get-RunningTaskImage "dt-$Run-web" | Should -Be @("${Repo}:stable@$FirstDigest", "${Repo}:stable@$FirstDigest")
    }

    It 'creates a global service with a command, one task on the single node' {
        $s = New-PinnedService "$($TestEnv.Fixtures.Oci.Reference)" -Name "dt-$Run-global" -Global -Command 'sleep', '600' -EngineUri $Swarm -Wait -TimeoutSec 120
        $s.Mode | Should -Be 'global'
        $s.Replicas | Should -BeNullOrEmpty
        $s.RunningTasks | Should -Be 1
        (Get-ServiceSpec "dt-$Run-global").TaskTemplate.ContainerSpec.Args | Should -Be @('sleep', '600')
    }

    It '-WhatIf resolves nothing and creates nothing' {
        New-PinnedService "${Repo}:stable" -Name "dt-$Run-whatif" -EngineUri $Swarm -WhatIf
        & docker -H $Swarm service inspect "dt-$Run-whatif" *> $null
        $LASTEXITCODE | Should -Not -Be 0
    }

    It 'reports tasks that fail under -Wait (ServiceTasksFailed) and keeps the service' {
        Publish-LayoutImage 'exit3' "$Prefix/broken:v1" | Out-Null
        $s = New-PinnedService "$Prefix/broken:v1" -Name "dt-$Run-broken" -RestartCondition none -EngineUri $Swarm -Wait -TimeoutSec 120 -ErrorVariable failed -ErrorAction SilentlyContinue
        $s | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ServiceTasksFailed,*'
        $failed[0].Exception.Message | Should -Match 'exit code 3'
        Invoke-DockerCli $Swarm service inspect --format '{{.Spec.Name}}' "dt-$Run-broken" | Should -Be "dt-$Run-broken"
    }

    It 'waits no longer than -TimeoutSec for tasks Swarm cannot place (ServiceWaitTimedOut), and keeps the service' {
        # A single manager node never satisfies node.role==worker: the task stays pending.
        $s = New-PinnedService "${Repo}:stable" -Name "dt-$Run-pending" -Constraint 'node.role==worker' -EngineUri $Swarm -Wait -TimeoutSec 3 -ErrorVariable failed -ErrorAction SilentlyContinue
        $s | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ServiceWaitTimedOut,*'
        $failed[0].Exception.Message | Should -Match '0 of 1 tasks'
        Invoke-DockerCli $Swarm service inspect --format '{{.Spec.Name}}' "dt-$Run-pending" | Should -Be "dt-$Run-pending"
    }

    It 'stops waiting on Ctrl+C (a pipeline stop) and leaves the service in place' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Module, $Reference, $Name, $Engine)
                    Import-Module $Module
                    New-PinnedService $Reference -Name $Name -Constraint 'node.role==worker' -EngineUri $Engine -Wait -TimeoutSec 600
                }).AddArgument($env:DIGESTTOOLS_MODULE).AddArgument("${Repo}:stable").AddArgument("dt-$Run-stopped").AddArgument($Swarm)
            $async = $ps.BeginInvoke()
            # Stop once the service exists: the command is then inside its -Wait.
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            do { Start-Sleep -Milliseconds 200; & docker -H $Swarm service inspect "dt-$Run-stopped" *> $null } until ($LASTEXITCODE -eq 0 -or [DateTime]::UtcNow -gt $deadline)
            $ps.Stop()
            $stopped = $null
            try { $ps.EndInvoke($async) } catch { $stopped = $_.Exception.GetBaseException() }
            $stopped | Should -BeOfType ([System.Management.Automation.PipelineStoppedException])
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $ps.Dispose() }
        Invoke-DockerCli $Swarm service inspect --format '{{.Spec.Name}}' "dt-$Run-stopped" | Should -Be "dt-$Run-stopped"
    }

    It 'gives NotSwarmManager on <Engine>, creates nothing, and goes on with the next input' -ForEach @(
        @{ Engine = 'a standalone dockerd' }, @{ Engine = 'Podman' }
    ) {
        $uri = if ($Engine -eq 'Podman') { $TestEnv.PodmanHost } else { $TestEnv.DockerHost }
        $out = "${Repo}:stable", "${Repo}:stable" | New-PinnedService -EngineUri $uri -ErrorVariable failed -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $failed.Count | Should -Be 2
        $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'NotSwarmManager,*' }
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
    }

    It 'stops before creating anything for a published port with an address (InvalidPublishSpec)' {
        { New-PinnedService "${Repo}:stable" -Name "dt-$Run-badport" -Publish '127.0.0.1:8080:80' -EngineUri $Swarm -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPublishSpec,DigestTools.NewPinnedServiceCommand'
        & docker -H $Swarm service inspect "dt-$Run-badport" *> $null
        $LASTEXITCODE | Should -Not -Be 0
    }

    It 'writes ManifestUnknown for a tag the registry does not have' {
        New-PinnedService "$Prefix/none:missing" -Name "dt-$Run-missing" -EngineUri $Swarm -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ManifestUnknown,*'
    }
}

Describe 'Update-PinnedService' -Tag Swarm {
    BeforeAll {
        $script:Repo = "$Prefix/api"
        $script:OldDigest = Publish-LayoutImage 'sleep' "${Repo}:live"
        $script:Service = New-PinnedService "${Repo}:live" -Name "dt-$Run-api" -Replicas 2 -Command 'sleep', '3600' `
            -UpdateMonitor '00:00:01' -UpdateParallelism 2 -EngineUri $Swarm -Wait -TimeoutSec 120
        # The tag moves in the registry: same command, other bytes (the 'alt' image).
        $script:NewDigest = Publish-LayoutImage 'alt' "${Repo}:live"
    }

    It 'leaves the service on the old digest while the tag moves' {
        $NewDigest | Should -Not -Be $OldDigest
        (Get-ServiceSpec "dt-$Run-api").TaskTemplate.ContainerSpec.Image | Should -Be "${Repo}:live@$OldDigest"
    }

    It '-WhatIf names old -> new and changes nothing' {
        $before = Invoke-DockerCli $Swarm service inspect --format '{{.Version.Index}}' "dt-$Run-api"
        # What-if text goes to the host only: a child pwsh's output captures it.
        $command = "Import-Module '$env:DIGESTTOOLS_MODULE'; Update-PinnedService 'dt-$Run-api' -EngineUri '$Swarm' -WhatIf"
        $text = (Invoke-ChildPwsh @('-Command', $command) | Out-String) -replace '\s+', ' '
        $text | Should -Match 'What if: .*Update pinned service'
        $text = $text -replace ' ', ''
        $text | Should -Match ([regex]::Escape("$OldDigest->$NewDigest"))
        Invoke-DockerCli $Swarm service inspect --format '{{.Version.Index}}' "dt-$Run-api" | Should -Be $before
    }

    It 'rolls the service onto the new digest, and every running task runs it' {
        $u = $Service | Update-PinnedService -EngineUri $Swarm -Wait -TimeoutSec 120
        $u.Status | Should -Be 'Updated'
        $u.PreviousDigest | Should -Be $OldDigest
        $u.Digest | Should -Be $NewDigest
        $u.RunningTasks | Should -Be 2
        $spec = Get-ServiceSpec "dt-$Run-api"
        $spec.TaskTemplate.ContainerSpec.Image | Should -Be "${Repo}:live@$NewDigest"
        $spec.Labels.'io.digesttools.digest' | Should -Be $NewDigest
        $spec.TaskTemplate.ContainerSpec.Args | Should -Be @('sleep', '3600')
        Get-RunningTaskImage "dt-$Run-api" | Should -Be @("${Repo}:live@$NewDigest", "${Repo}:live@$NewDigest")
    }

    It 'does not update when the digest did not move (Status Unchanged, spec version kept)' {
        $before = Invoke-DockerCli $Swarm service inspect --format '{{.Version.Index}}' "dt-$Run-api"
        $u = Update-PinnedService "dt-$Run-api" -EngineUri $Swarm
        $u.Status | Should -Be 'Unchanged'
        $u.Digest | Should -Be $NewDigest
        Invoke-DockerCli $Swarm service inspect --format '{{.Version.Index}}' "dt-$Run-api" | Should -Be $before
    }

    It 'reports a failing update that Swarm rolled back (ServiceRolledBack), the service back on the old digest' {
        $repo = "$Prefix/fragile"
        $good = Publish-LayoutImage 'sleep' "${repo}:v1"
        New-PinnedService "${repo}:v1" -Name "dt-$Run-fragile" -UpdateFailureAction rollback -UpdateMonitor '00:00:03' -EngineUri $Swarm -Wait -TimeoutSec 120 | Out-Null
        $bad = Publish-LayoutImage 'exit3' "${repo}:v1"
        $out = Update-PinnedService "dt-$Run-fragile" -EngineUri $Swarm -Wait -TimeoutSec 180 -ErrorVariable failed -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ServiceRolledBack,*'
        $failed[0].Exception.Message | Should -Match ([regex]::Escape($bad))
        (Get-ServiceSpec "dt-$Run-fragile").TaskTemplate.ContainerSpec.Image | Should -Be "${repo}:v1@$good"
    }

    It 'reports a failing update that Swarm paused (ServiceUpdatePaused, Swarm''s default failure action)' {
        $repo = "$Prefix/paused"
        Publish-LayoutImage 'sleep' "${repo}:v1" | Out-Null
        New-PinnedService "${repo}:v1" -Name "dt-$Run-paused" -UpdateMonitor '00:00:03' -EngineUri $Swarm -Wait -TimeoutSec 120 | Out-Null
        $bad = Publish-LayoutImage 'exit3' "${repo}:v1"
        Update-PinnedService "dt-$Run-paused" -EngineUri $Swarm -Wait -TimeoutSec 180 -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ServiceUpdatePaused,*'
        $failed[0].Exception.Message | Should -Match 'exit code 3'
        Invoke-DockerCli $Swarm service inspect --format '{{.UpdateStatus.State}}' "dt-$Run-paused" | Should -Be 'paused'
        (Get-ServiceSpec "dt-$Run-paused").TaskTemplate.ContainerSpec.Image | Should -Be "${repo}:v1@$bad"
    }

    It 'writes ServiceNotFound for an unknown service and goes on with the next' {
        $out = "dt-$Run-nosuch", "dt-$Run-api" | Update-PinnedService -EngineUri $Swarm -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ServiceNotFound,*'
        $out.Name | Should -Be "dt-$Run-api"
    }
}

Describe 'Get-ImageDrift -Service' -Tag Swarm, Drift {
    BeforeAll {
        $script:Repo = "$Prefix/drifting"
        $script:Old = Publish-LayoutImage 'sleep' "${Repo}:live"
        New-PinnedService "${Repo}:live" -Name "dt-$Run-drift" -Replicas 2 -UpdateParallelism 2 -UpdateMonitor '00:00:01' -EngineUri $Swarm -Wait -TimeoutSec 120 | Out-Null
    }

    It 'is Current while the tag names the spec''s digest, with the digest every running task runs' {
        $d = Get-ImageDrift "dt-$Run-drift" -Service -EngineUri $Swarm
        $d | Should -BeOfType DigestTools.ServiceImageDrift
        $d.Status | Should -Be 'Current'
        $d.SpecDigest | Should -Be $Old
        $d.TaskDigests | Should -Be @($Old)
        $d.RunningTasks | Should -Be 2
        $d.Tag | Should -Be 'live'
        $d.Engine | Should -Be $Swarm
    }

    It 'is TagMoved once the tag names other bytes, and Current again after Update-PinnedService rolled every task' {
        $new = Publish-LayoutImage 'alt' "${Repo}:live"
        $moved = Get-ImageDrift "dt-$Run-drift" -Service -EngineUri $Swarm
        $moved.Status | Should -Be 'TagMoved'
        $moved.CurrentDigest | Should -Be $new
        $moved.SpecDigest | Should -Be $Old
        # alt's command exits: keep the tasks alive with a command of their own before rolling.
        & docker -H $Swarm service update --detach --args 'sleep 3600' "dt-$Run-drift" *> $null
        $moved | Update-PinnedService -EngineUri $Swarm -Wait -TimeoutSec 180 | Out-Null
        $after = Get-ImageDrift "dt-$Run-drift" -Service -EngineUri $Swarm
        $after.Status | Should -Be 'Current'
        $after.TaskDigests | Should -Be @($new)
    }

    It 'writes ServiceNotFound for an unknown service, and NotSwarmManager on Podman' {
        Get-ImageDrift "dt-$Run-nosuch" -Service -EngineUri $Swarm -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ServiceNotFound,*'
        Get-ImageDrift -Service -EngineUri $TestEnv.PodmanHost -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'NotSwarmManager,*'
    }
}
