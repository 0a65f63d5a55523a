# Invoke-ImagePull with several -EngineUri addresses: the tag is resolved once at the registry and every engine
# (the first dockerd, the Swarm dockerd and Podman of the test environment) pulls that digest at once; an engine
# that fails is an error for that engine only. The docker CLI checks each engine's own record.
BeforeAll {
    . (Join-Path $PSScriptRoot 'EngineTestSetup.ps1') -Purpose fleet
    $script:Engines = @($TestEnv.DockerHost, $TestEnv.SwarmHost, $TestEnv.PodmanHost)
    $script:Dead = "unix:///tmp/digesttools-no-engine-$Run.sock"
}

AfterAll {
    foreach ($engine in $Engines) { Remove-EngineTestArtifact -EngineUri $engine -RunId $Run -RepositoryPrefix $Prefix }
}

Describe 'Invoke-ImagePull on many engines' -Tag Engine, Fleet {
    BeforeAll {
        $script:Repo = "$Prefix/app"
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "${Repo}:v1"
        $script:Digest = Get-SkopeoDigest "${Repo}:v1"
    }

    It 'pulls the digest the tag names on every engine, one result per engine in the order given' {
        $pulled = Invoke-ImagePull "${Repo}:v1" -EngineUri $Engines
        $pulled.Count | Should -Be 3
        $pulled.Engine | Should -Be $Engines
        $pulled | ForEach-Object {
            $_.Digest | Should -Be $Digest
            $_.PinnedReference | Should -Be "$Repo@$Digest"
            $_.Tag | Should -Be 'v1'
        }
        foreach ($engine in $Engines) {
            $repoDigests = Invoke-DockerCli $engine image inspect --format '{{json .RepoDigests}}' "$Repo@$Digest" | ConvertFrom-Json
            $repoDigests | Should -Contain "$Repo@$Digest"
        }
    }

    It 'writes one error for an engine that does not answer, and the other engines pull' {
        $pulled = Invoke-ImagePull "${Repo}:v1" -EngineUri $TestEnv.DockerHost, $Dead, $TestEnv.SwarmHost -ErrorVariable failed -ErrorAction SilentlyContinue
        $pulled.Engine | Should -Be @($TestEnv.DockerHost, $TestEnv.SwarmHost)
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EngineUnreachable,*'
        $failed[0].TargetObject | Should -Be $Dead
    }

    It 'writes one error per engine that fails the pull, naming the engine' {
        # A digest is not resolved again: each engine asks the registry itself, and each fails on its own.
        $missing = "$Repo@sha256:$('0' * 64)"
        $pulled = Invoke-ImagePull $missing -EngineUri $TestEnv.DockerHost, $TestEnv.SwarmHost -ErrorVariable failed -ErrorAction SilentlyContinue
        $pulled | Should -BeNullOrEmpty
        $failed.Count | Should -Be 2
        $failed.TargetObject | Should -Be @($TestEnv.DockerHost, $TestEnv.SwarmHost)
        $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'ManifestUnknown,*' }
        $failed[1].Exception.Message | Should -BeLike "Engine $($TestEnv.SwarmHost): *"
    }

    It 'resolves a tag the registry does not have once: one ManifestUnknown, no engine asked' {
        $pulled = Invoke-ImagePull "${Repo}:missing" -EngineUri $Engines -ErrorVariable failed -ErrorAction SilentlyContinue
        $pulled | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ManifestUnknown,*'
        $failed[0].TargetObject | Should -Be "${Repo}:missing"
    }

    It 'stops when no engine of the list answers' {
        { Invoke-ImagePull "${Repo}:v1" -EngineUri $Dead, "$Dead-2" -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'EngineUnreachable,DigestTools.InvokeImagePullCommand'
    }

    It 'pulls nothing under -WhatIf' {
        Invoke-ImagePull "${Repo}:v1" -EngineUri $Dead, "$Dead-2" -WhatIf | Should -BeNullOrEmpty
    }

    It 'refuses several engines where a cmdlet works on one (InvalidEngineUri)' {
        { New-PinnedService "${Repo}:v1" -EngineUri $TestEnv.SwarmHost, $TestEnv.DockerHost -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidEngineUri,DigestTools.NewPinnedServiceCommand'
    }
}

Describe 'New-PinnedContainer on many engines' -Tag Engine, Fleet {
    BeforeAll {
        $script:Repo = "$Prefix/replicas"
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "${Repo}:v1"
        $script:Digest = Get-SkopeoDigest "${Repo}:v1"
        $script:RunLabel = @{ 'dt-test' = $Run }
    }

    It 'creates the same pinned replicas on each engine, every one configured with repository@digest' {
        $made = New-PinnedContainer "${Repo}:v1" -Name "fleet-$Run" -Count 2 -Network none -Label $RunLabel -EngineUri $TestEnv.DockerHost, $TestEnv.SwarmHost
        $made.Count | Should -Be 4
        $made.Engine | Should -Be @($TestEnv.DockerHost, $TestEnv.DockerHost, $TestEnv.SwarmHost, $TestEnv.SwarmHost)
        $made.Name | Should -Be @("fleet-$Run-1", "fleet-$Run-2", "fleet-$Run-1", "fleet-$Run-2")
        foreach ($c in $made) {
            $c.Digest | Should -Be $Digest
            Get-ContainerConfigImage $c.Engine $c.Id | Should -Be "$Repo@$Digest"
        }
    }

    It 'writes one error for the engine that fails and creates on the others' {
        $made = New-PinnedContainer "${Repo}:v1" -Name "fleet2-$Run" -Network none -Label $RunLabel -EngineUri $TestEnv.DockerHost, $Dead -ErrorVariable failed -ErrorAction SilentlyContinue
        $made.Engine | Should -Be $TestEnv.DockerHost
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EngineUnreachable,*'
        $failed[0].TargetObject | Should -Be $Dead
    }

    It 'rolls back on the engine whose creation fails (name taken there), and keeps the others' {
        New-PinnedContainer "${Repo}:v1" -Name "taken-$Run" -Network none -Label $RunLabel -EngineUri $TestEnv.SwarmHost | Out-Null
        $made = New-PinnedContainer "${Repo}:v1" -Name "taken-$Run" -Network none -Label $RunLabel -EngineUri $TestEnv.DockerHost, $TestEnv.SwarmHost -ErrorVariable failed -ErrorAction SilentlyContinue
        $made.Engine | Should -Be $TestEnv.DockerHost
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNameInUse,*'
        $failed[0].TargetObject | Should -Be $TestEnv.SwarmHost
    }
}

Describe 'Get-ImageDigest -Local on many engines' -Tag Engine, Fleet {
    BeforeAll {
        $script:Repo = "$Prefix/listed"
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "${Repo}:v1"
        $script:Digest = Get-SkopeoDigest "${Repo}:v1"
        Invoke-ImagePull "${Repo}:v1" -EngineUri $TestEnv.DockerHost, $TestEnv.SwarmHost | Out-Null
    }

    It 'lists every engine''s images with an Engine property, in the order of the addresses' {
        $rows = Get-ImageDigest -Local "${Repo}*" -EngineUri $TestEnv.DockerHost, $TestEnv.SwarmHost
        $rows.Engine | Should -Be @($TestEnv.DockerHost, $TestEnv.SwarmHost)
        # Pulled by digest on both (a tag is resolved once for a fleet): the rows carry the digest, no tag.
        $rows | ForEach-Object { $_.PinnedReference | Should -Be "$Repo@$Digest" }
    }

    It 'writes one error for an engine that does not answer and lists the others' {
        $rows = Get-ImageDigest -Local "${Repo}*" -EngineUri $Dead, $TestEnv.SwarmHost -ErrorVariable failed -ErrorAction SilentlyContinue
        $rows.Engine | Should -Be $TestEnv.SwarmHost
        $failed.Count | Should -Be 1
        $failed[0].TargetObject | Should -Be $Dead
    }

    It 'names the engine on a single engine''s rows too' {
        (Get-ImageDigest -Local "${Repo}*" -EngineUri $TestEnv.DockerHost).Engine | Should -Be $TestEnv.DockerHost
    }
}

Describe 'Get-ImageDrift on many engines' -Tag Engine, Fleet, Drift {
    BeforeAll {
        $script:Repo = "$Prefix/watched"
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "${Repo}:v1"
        $script:Digest = Get-SkopeoDigest "${Repo}:v1"
        New-PinnedContainer "${Repo}:v1" -Name "watched-$Run" -Network none -Label @{ 'dt-test' = $Run } -EngineUri $TestEnv.DockerHost, $TestEnv.SwarmHost | Out-Null
    }

    It 'checks the container on every engine, each result naming its engine' {
        $drift = Get-ImageDrift "watched-$Run" -EngineUri $TestEnv.DockerHost, $TestEnv.SwarmHost
        $drift.Engine | Should -Be @($TestEnv.DockerHost, $TestEnv.SwarmHost)
        $drift | ForEach-Object { $_.Status | Should -Be 'Current'; $_.RunningDigest | Should -Be $Digest }
    }

    It 'writes one error for an engine that does not answer and checks the others' {
        $drift = Get-ImageDrift "watched-$Run" -EngineUri $Dead, $TestEnv.SwarmHost -ErrorVariable failed -ErrorAction SilentlyContinue
        $drift.Engine | Should -Be $TestEnv.SwarmHost
        $failed.Count | Should -Be 1
        $failed[0].TargetObject | Should -Be $Dead
    }
}
