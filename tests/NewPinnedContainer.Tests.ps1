# New-PinnedContainer against real dockerd 20.10 and Podman 4.3: every container is created from repository@digest,
# whatever the tag does meanwhile. Containers carry the label dt-test=<run> so clean-up finds them all.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'EngineTestSupport.psm1')
    $engines = Get-EngineTestCase
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'EngineTestSetup.ps1') -Purpose engine-pin
}

Describe 'New-PinnedContainer on <Engine>' -Tag Engine -ForEach $engines {
    BeforeAll {
        # Per engine its own repository: the tag is moved during these tests.
        $script:Repo = "$Prefix/$($Engine.ToLowerInvariant())/busybox"
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "${Repo}:moving"
        $script:FirstDigest = Get-SkopeoDigest "${Repo}:moving"
        $script:AltDigest = Get-SkopeoDigest $TestEnv.Fixtures.OciAlt.Reference
    }
    AfterAll {
        Remove-EngineTestArtifact -EngineUri $EngineUri -RunId $Run -RepositoryPrefix $Prefix
    }

    It 'creates, starts, waits and returns logs from repository@digest, never the tag' {
        $c = New-PinnedContainer "${Repo}:moving" -Logs -Network none -Label $RunLabel -EngineUri $EngineUri
        $c | Should -BeOfType DigestTools.PinnedContainer
        $c.Image | Should -Be "$Repo@$FirstDigest"
        $c.Digest | Should -Be $FirstDigest
        $c.SourceReference | Should -Be "${Repo}:moving"
        $c.ExitCode | Should -Be 0
        $c.Logs.Trim() | Should -Be 'hello'
        $c.State | Should -Be 'exited'
        Get-ContainerConfigImage $EngineUri $c.Id | Should -Be "$Repo@$FirstDigest"
        $labels = Invoke-DockerCli $EngineUri inspect --format '{{json .Config.Labels}}' $c.Id | ConvertFrom-Json
        $labels.'io.digesttools.source-reference' | Should -Be "${Repo}:moving"
        $labels.'io.digesttools.digest' | Should -Be $FirstDigest
    }

    It 'takes Get-ImageDigest output back from JSON and CSV state files (Reference and PinnedReference are plain strings)' {
        $info = Get-ImageDigest "${Repo}:moving" -ErrorAction Stop
        $info.Reference | Should -BeOfType [string]
        $info.Reference | Should -Be "${Repo}:moving"
        $fromJson = $info | ConvertTo-Json | ConvertFrom-Json
        foreach ($property in 'Reference', 'PinnedReference') {
            $fromJson.$property | Should -BeOfType [string]
            $fromJson.$property | Should -Be $info.$property
        }
        $csv = Join-Path $TestDrive 'pins.csv'
        $info | Export-Csv -Path $csv -NoTypeInformation
        $fromCsv = Import-Csv -Path $csv
        $fromCsv.Reference | Should -Be $info.Reference
        # Only the Reference column kept (the README's state file keeps Reference and PinnedReference): read as the tag.
        $referenceOnly = $info | Select-Object Reference | ConvertTo-Json | ConvertFrom-Json

        $containers = @($fromJson, $fromCsv, $referenceOnly) | New-PinnedContainer -Network none -Label $RunLabel -EngineUri $EngineUri
        $containers.Count | Should -Be 3
        foreach ($c in $containers) {
            $c.Digest | Should -Be $info.Digest
            Get-ContainerConfigImage $EngineUri $c.Id | Should -Be "$Repo@$($info.Digest)"
        }
    }

    It 'reports the name the engine chose for a replica that -Wait -Remove removed' {
        $c = New-PinnedContainer "$Repo@$FirstDigest" -Wait -Remove -Network none -Label $RunLabel -EngineUri $EngineUri
        $c.State | Should -Be 'removed'
        $c.ExitCode | Should -Be 0
        $c.Name | Should -Not -BeNullOrEmpty
    }

    It 'keeps three replicas on the pinned digest while the tag moves, and a tag-created container follows the tag' {
        $pin = Invoke-ImagePull "${Repo}:moving" -EngineUri $EngineUri
        $first = $pin | New-PinnedContainer -Name "replica-$Run" -Count 2 -Network none -Label $RunLabel -EngineUri $EngineUri
        $first.Name | Should -Be "replica-$Run-1", "replica-$Run-2"

        Copy-TestImage -Source $TestEnv.Fixtures.OciAlt.Reference -Destination "${Repo}:moving"   # the tag moves
        $third = $pin | New-PinnedContainer -Name "replica3-$Run" -Network none -Label $RunLabel -EngineUri $EngineUri
        $fromTag = New-PinnedContainer "${Repo}:moving" -PullPolicy Always -Network none -Label $RunLabel -EngineUri $EngineUri

        foreach ($c in @($first) + $third) {
            Get-ContainerConfigImage $EngineUri $c.Id | Should -Be "$Repo@$FirstDigest"
        }
        $fromTag.Digest | Should -Be $AltDigest
        Get-ContainerConfigImage $EngineUri $fromTag.Id | Should -Be "$Repo@$AltDigest"
    }

    It 'resolves the tag once for -Count 3: all replicas share one digest' {
        $all = New-PinnedContainer "${Repo}:moving" -Count 3 -PullPolicy Always -Network none -Label $RunLabel -EngineUri $EngineUri
        @($all).Count | Should -Be 3
        $images = $all | ForEach-Object { Get-ContainerConfigImage $EngineUri $_.Id } | Sort-Object -Unique
        $images | Should -Be "$Repo@$(Get-SkopeoDigest "${Repo}:moving")"
        $all.Replica | Should -Be 1, 2, 3
    }

    It 'passes command, environment, working directory, user, restart policy and -Remove through' {
        $c = New-PinnedContainer "$Repo@$FirstDigest" -Command 'sh', '-c', 'echo "$GREETING from $(pwd)"' -Environment @{ GREETING = 'hi' } `
            -WorkingDirectory /bin -User '1234' -Logs -Remove -Network none -Label $RunLabel -EngineUri $EngineUri
        $c.Logs.Trim() | Should -Be 'hi from /bin'
        $c.State | Should -Be 'removed'
        Test-ContainerExists $EngineUri $c.Id | Should -BeFalse

        $kept = New-PinnedContainer "$Repo@$FirstDigest" -User '1234' -RestartPolicy 'on-failure:2' -Network none -Label $RunLabel -EngineUri $EngineUri
        Invoke-DockerCli $EngineUri inspect --format '{{.Config.User}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}' $kept.Id |
            Should -Be '1234 on-failure 2'
    }

    It 'mounts host folders with -Volume and -Mount' {
        $dir = Join-Path $TestEnv.StateDir "mount-$Run-$Engine"
        New-Item -ItemType Directory -Force -Path $dir | Out-Null
        Set-Content -Path (Join-Path $dir 'note.txt') -Value 'from the host' -NoNewline
        try {
            $c = New-PinnedContainer "$Repo@$FirstDigest" -Volume "${dir}:/v:ro" -Mount "type=bind,source=$dir,target=/m,readonly" `
                -Command 'sh', '-c', 'cat /v/note.txt; echo; cat /m/note.txt' -Logs -Remove -Network none -Label $RunLabel -EngineUri $EngineUri
            ($c.Logs -split "`n" | Where-Object { $_ }) | Should -Be 'from the host', 'from the host'
        }
        finally { Remove-Item -Recurse -Force $dir }
    }

    It 'pins a multi-platform image to its index digest and creates the chosen platform with -Platform' {
        $list = "$Prefix/$($Engine.ToLowerInvariant())/multi"
        Copy-TestImage -Source $TestEnv.Fixtures.DockerList.Reference -Destination "${list}:list" -All
        $listDigest = Get-SkopeoDigest "${list}:list"
        $c = New-PinnedContainer "${list}:list" -Platform linux/arm64/v8 -Network none -Label $RunLabel -EngineUri $EngineUri
        $c.Digest | Should -Be $listDigest
        Get-ContainerConfigImage $EngineUri $c.Id | Should -Be "$list@$listDigest"
        $imageId = Invoke-DockerCli $EngineUri inspect --format '{{.Image}}' $c.Id
        Invoke-DockerCli $EngineUri image inspect --format '{{.Architecture}}' $imageId | Should -Be 'arm64'
    }

    It 'runs the whole story: Get-ImageDigest | Invoke-ImagePull | New-PinnedContainer' {
        $story = "$Prefix/$($Engine.ToLowerInvariant())/story"
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "${story}:v1"
        $c = Get-ImageDigest "${story}:v1" | Invoke-ImagePull -EngineUri $EngineUri |
            New-PinnedContainer -Logs -Network none -Label $RunLabel -EngineUri $EngineUri
        $digest = Get-SkopeoDigest "${story}:v1"
        $c.Image | Should -Be "$story@$digest"
        $c.Logs.Trim() | Should -Be 'hello'
        Get-ContainerConfigImage $EngineUri $c.Id | Should -Be "$story@$digest"
    }

    It 'creates nothing under -WhatIf' {
        $before = @(Invoke-DockerCli $EngineUri ps -aq --filter "label=dt-test=$Run").Count
        New-PinnedContainer "${Repo}:moving" -Count 2 -Name "whatif-$Run" -Label $RunLabel -EngineUri $EngineUri -WhatIf | Should -BeNullOrEmpty
        @(Invoke-DockerCli $EngineUri ps -aq --filter "label=dt-test=$Run").Count | Should -Be $before
        Test-ContainerExists $EngineUri "whatif-$Run-1" | Should -BeFalse
    }

    It 'rolls back the replicas of a -Count call when one creation fails, and reports one error naming them' {
        $blocker = New-PinnedContainer "$Repo@$FirstDigest" -Name "clash-$Run-2" -Network none -Label $RunLabel -EngineUri $EngineUri
        $out = New-PinnedContainer "$Repo@$FirstDigest" -Name "clash-$Run" -Count 3 -Network none -Label $RunLabel -EngineUri $EngineUri `
            -ErrorVariable failures -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNameInUse,*'
        $failures[0].Exception.Message | Should -BeLike "*Replica 2 of 3*clash-$Run-1*"
        Test-ContainerExists $EngineUri "clash-$Run-1" | Should -BeFalse      # rolled back
        Test-ContainerExists $EngineUri "clash-$Run-3" | Should -BeFalse      # never created
        Invoke-DockerCli $EngineUri inspect --format '{{.Id}}' "clash-$Run-2" | Should -Be $blocker.Id   # not ours: untouched
    }

    # Podman gives committed and built images a digest of their local manifest, so they cannot be told apart.
    It 'refuses a local image that has no registry digest with NoRegistryDigest' -Skip:($Engine -eq 'Podman') {
        # docker commit gives an image that never came from a registry: no RepoDigests.
        $source = New-PinnedContainer "$Repo@$FirstDigest" -Network none -Label $RunLabel -EngineUri $EngineUri
        $local = "$Prefix/local-only:dev"
        Invoke-DockerCli $EngineUri commit $source.Id $local | Out-Null
        foreach ($policy in 'Never', 'Missing') {
            New-PinnedContainer $local -PullPolicy $policy -Label $RunLabel -EngineUri $EngineUri -ErrorVariable failures -ErrorAction SilentlyContinue |
                Should -BeNullOrEmpty
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'NoRegistryDigest,*'
        }
    }

    It 'reports an unknown image as ManifestUnknown and creates nothing' {
        $before = @(Invoke-DockerCli $EngineUri ps -aq --filter "label=dt-test=$Run").Count
        New-PinnedContainer "$Prefix/absent:v1" -Label $RunLabel -EngineUri $EngineUri -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ManifestUnknown,*'
        @(Invoke-DockerCli $EngineUri ps -aq --filter "label=dt-test=$Run").Count | Should -Be $before
    }

    It 'refuses -PullPolicy Never for an image the engine does not have' {
        New-PinnedContainer "$Prefix/absent@$FirstDigest" -PullPolicy Never -Label $RunLabel -EngineUri $EngineUri -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotPresent,*'
    }
}

Describe 'New-PinnedContainer engine selection' -Tag Engine {
    It 'uses DOCKER_HOST when no -EngineUri is given' {
        $saved = $env:DOCKER_HOST
        try {
            $env:DOCKER_HOST = $TestEnv.DockerHost
            $repo = "$Prefix/env/busybox"
            Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "${repo}:v1"
            $c = New-PinnedContainer "${repo}:v1" -Network none -Label $RunLabel
            $c.Engine | Should -Be $TestEnv.DockerHost
            Get-ContainerConfigImage $TestEnv.DockerHost $c.Id | Should -Be "$repo@$(Get-SkopeoDigest "${repo}:v1")"
        }
        finally {
            $env:DOCKER_HOST = $saved
            Remove-EngineTestArtifact -EngineUri $TestEnv.DockerHost -RunId $Run -RepositoryPrefix "$Prefix/env/"
        }
    }

    It 'stops with EngineUnreachable when the engine does not answer, having created nothing' {
        $address = "unix://$($TestEnv.StateDir)/no-engine-$Run.sock"
        { New-PinnedContainer busybox:latest -EngineUri $address -ErrorAction Stop } | Should -Throw -ErrorId 'EngineUnreachable,*' -ExpectedMessage "*$address*"
    }
}

Describe 'New-PinnedContainer -Wait and Ctrl+C' -Tag Engine {
    It 'stops waiting when the pipeline is stopped, and the started container is left running for the caller' {
        $repo = "$Prefix/stop/busybox"
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "${repo}:v1"
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                param($Module, $Reference, $EngineUri, $Run)
                Import-Module $Module
                New-PinnedContainer $Reference -Command sh, -c, 'sleep 120' -Wait -Network none -Label @{ 'dt-test' = $Run; 'dt-stop' = $Run } -EngineUri $EngineUri
            }).AddArgument($env:DIGESTTOOLS_MODULE).AddArgument("${repo}:v1").AddArgument($TestEnv.DockerHost).AddArgument($Run)
            $async = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            do { Start-Sleep -Milliseconds 200; $running = & docker -H $TestEnv.DockerHost ps -q --filter "label=dt-stop=$Run" }
            until ($running -or [DateTime]::UtcNow -gt $deadline)
            $running | Should -Not -BeNullOrEmpty
            $shell.Stop()                                   # what Ctrl+C does: StopProcessing cancels the wait
            $async.IsCompleted | Should -BeTrue
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            (Invoke-DockerCli $TestEnv.DockerHost inspect --format '{{.State.Status}}' $running) | Should -Be 'running'
        }
        finally {
            $shell.Dispose()
            Remove-EngineTestArtifact -EngineUri $TestEnv.DockerHost -RunId $Run -RepositoryPrefix "$Prefix/stop/"
        }
    }
}

Describe 'New-PinnedContainer parameters' -Tag Engine {
    It 'stops on a bad -Publish before touching any engine' {
        { New-PinnedContainer busybox -Publish '80:http' -EngineUri 'unix:///nonexistent/engine.sock' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPublishSpec,*'
    }
}
