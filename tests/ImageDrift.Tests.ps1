# Get-ImageDrift and New-PinnedContainer -FromContainer against the real registry, dockerd 20.10 and Podman 4.3:
# a container started from a tag "by someone else", the tag moves, replicas copy the container's bytes, the
# registry loses the old manifest. Every status is checked against the registry and the engine's own records.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'EngineTestSupport.psm1')
    $engines = Get-EngineTestCase
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'EngineTestSetup.ps1') -Purpose drift

    function Remove-RegistryManifest([string] $Repository, [string] $Digest) {
        # Repository without the registry; the test registry has deletes enabled.
        $r = Invoke-WebRequest -Method Delete -Uri "http://$($TestEnv.Registry)/v2/$Repository/manifests/$Digest" -SkipHttpErrorCheck
        if ($r.StatusCode -ne 202) { throw "DELETE $Repository@$Digest answered $($r.StatusCode)" }
    }
}

Describe 'Get-ImageDrift and -FromContainer on <Engine>' -Tag Engine, Drift -ForEach $engines {
    BeforeAll {
        $script:Path = "drift-$Run/$($Engine.ToLowerInvariant())/app"
        $script:Repo = "$($TestEnv.Registry)/$Path"
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "${Repo}:v1" -PreserveDigests
        $script:FirstDigest = Get-SkopeoDigest "${Repo}:v1"
        $script:AltDigest = Get-SkopeoDigest $TestEnv.Fixtures.OciAlt.Reference
        # Started from the tag with the docker CLI, "by someone else": no DigestTools label, Config.Image is the tag.
        $script:Original = "orig-$Run"
        $runArguments = @('run', '--detach', '--name', $Original, '--network', 'none', '--label', "dt-test=$Run", '--label', 'team=db',
            '--env', 'ROLE=primary', '--env', 'KEEP=1', '--restart', 'unless-stopped', '--workdir', '/tmp', '--user', '1000')
        if ($Engine -eq 'Docker') { $runArguments += '--publish', '127.0.0.1:18099:80' }   # Podman drops ports of a container without a network
        Invoke-DockerCli $EngineUri @runArguments "${Repo}:v1" sleep 3600 | Out-Null
    }
    AfterAll {
        Remove-EngineTestArtifact -EngineUri $EngineUri -RunId $Run -RepositoryPrefix $Prefix
        if ($Engine -eq 'Podman') {
            # Podman lists every digest an image was ever pulled by under every name of that image: the index
            # digest pulled here would show up under other test files' names of the same image. Remove it whole.
            foreach ($id in $TestEnv.Fixtures.Oci.ConfigDigest, $TestEnv.Fixtures.OciAlt.ConfigDigest) { & docker -H $EngineUri rmi -f $id *> $null }
        }
    }

    It 'a container started from the tag the registry still names is Current' {
        $d = Get-ImageDrift $Original -EngineUri $EngineUri
        $d | Should -BeOfType DigestTools.ImageDrift
        $d.Status | Should -Be ([DigestTools.DriftStatus]::Current)
        $d.Name | Should -Be $Original
        $d.State | Should -Be 'running'
        $d.Engine | Should -Be $EngineUri
        $d.ConfiguredImage | Should -Be "${Repo}:v1"
        $d.Repository | Should -Be $Repo
        $d.Tag | Should -Be 'v1'
        $d.RunningDigest | Should -Be $FirstDigest
        $d.CurrentDigest | Should -Be $FirstDigest
        $d.Pinned | Should -BeFalse
        $d.SourceReference | Should -BeNullOrEmpty
        $d.Error | Should -BeNullOrEmpty
    }

    It 'lists running containers by default and stopped ones only with -All' {
        $stopped = New-PinnedContainer "${Repo}:v1" -Name "stopped-$Run" -Network none -Label $RunLabel -EngineUri $EngineUri
        (Get-ImageDrift -EngineUri $EngineUri).Name | Should -Contain $Original
        (Get-ImageDrift -EngineUri $EngineUri).Name | Should -Not -Contain $stopped.Name
        $all = Get-ImageDrift -All -EngineUri $EngineUri | Where-Object Name -eq $stopped.Name
        $all.State | Should -Be 'created'
        $all.Status | Should -Be 'Current'
    }

    It 'takes New-PinnedContainer output from the pipeline and reads the io.digesttools labels' {
        $d = New-PinnedContainer "${Repo}:v1" -Network none -Label $RunLabel -EngineUri $EngineUri | Get-ImageDrift -EngineUri $EngineUri
        $d.Pinned | Should -BeTrue
        $d.ConfiguredImage | Should -Be "$Repo@$FirstDigest"
        $d.SourceReference | Should -Be "${Repo}:v1"
        $d.PinnedDigest | Should -Be $FirstDigest
        $d.Status | Should -Be 'Current'
    }

    It 'writes ContainerNotFound for a missing container and goes on with the next' {
        $d = Get-ImageDrift "absent-$Run", $Original -EngineUri $EngineUri -ErrorVariable failures -ErrorAction SilentlyContinue
        @($d).Count | Should -Be 1
        $d.Name | Should -Be $Original
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be "absent-$Run"
    }

    Context 'after the tag moved' {
        BeforeAll {
            Copy-TestImage -Source $TestEnv.Fixtures.OciAlt.Reference -Destination "${Repo}:v1" -PreserveDigests
        }

        It 'the original container is TagMoved: it runs the first digest, the tag names the other' {
            $d = Get-ImageDrift $Original -EngineUri $EngineUri
            $d.Status | Should -Be 'TagMoved'
            $d.RunningDigest | Should -Be $FirstDigest
            $d.CurrentDigest | Should -Be $AltDigest
        }

        It '-FromContainer makes replicas that run the original bytes (repository@ the first digest) with its configuration' {
            $replicas = New-PinnedContainer -FromContainer $Original -Name "replica-$Run" -Count 2 -Start -EngineUri $EngineUri
            $replicas.Name | Should -Be "replica-$Run-1", "replica-$Run-2"
            foreach ($r in $replicas) {
                $r.Image | Should -Be "$Repo@$FirstDigest"
                $r.State | Should -Be 'running'
                $r.SourceReference | Should -Be "${Repo}:v1"
                Get-ContainerConfigImage $EngineUri $r.Id | Should -Be "$Repo@$FirstDigest"
                $c = Invoke-DockerCli $EngineUri inspect $r.Id | ConvertFrom-Json
                $c.Config.Env | Should -Contain 'ROLE=primary'
                $c.Config.Env | Should -Contain 'KEEP=1'
                $c.Config.Cmd | Should -Be 'sleep', '3600'
                $c.Config.WorkingDir | Should -Be '/tmp'
                $c.Config.User | Should -Be '1000'
                $c.Config.Labels.team | Should -Be 'db'
                $c.Config.Labels.'io.digesttools.digest' | Should -Be $FirstDigest
                $c.Config.Labels.'io.digesttools.pinned-reference' | Should -Be "$Repo@$FirstDigest"
                $c.Config.Labels.'io.digesttools.source-reference' | Should -Be "${Repo}:v1"
                $c.HostConfig.RestartPolicy.Name | Should -Be 'unless-stopped'
                $c.HostConfig.NetworkMode | Should -Be 'none'
                # Published host ports would clash with the original's: never copied.
                $c.HostConfig.PortBindings.PSObject.Properties.Name | Should -BeNullOrEmpty
            }
            $drift = $replicas | Get-ImageDrift -EngineUri $EngineUri
            $drift.Pinned | Should -Be $true, $true
            $drift.RunningDigest | Should -Be $FirstDigest, $FirstDigest
            $drift.Status | Should -Be 'TagMoved', 'TagMoved'
        }

        It '-FromContainer lets explicit parameters win: environment merges per name, the rest replaces' {
            $r = New-PinnedContainer -FromContainer (Get-ImageDrift $Original -EngineUri $EngineUri) -Environment @{ ROLE = 'replica' } `
                -WorkingDirectory / -Command 'sh', '-c', 'echo $ROLE $KEEP' -RestartPolicy no -Logs -Label $RunLabel -EngineUri $EngineUri
            $r.Image | Should -Be "$Repo@$FirstDigest"
            $r.Logs.Trim() | Should -Be 'replica 1'
            $c = Invoke-DockerCli $EngineUri inspect $r.Id | ConvertFrom-Json
            $c.Config.WorkingDir | Should -Be '/'
            $c.HostConfig.RestartPolicy.Name | Should -BeIn 'no', ''
            $c.Config.Labels.'dt-test' | Should -Be $Run
        }

        It '-FromContainer -WhatIf creates nothing' {
            $before = @(Invoke-DockerCli $EngineUri ps -aq).Count
            New-PinnedContainer -FromContainer $Original -Count 2 -WhatIf -EngineUri $EngineUri | Should -BeNullOrEmpty
            @(Invoke-DockerCli $EngineUri ps -aq).Count | Should -Be $before
        }

        It '-FromContainer of a missing container is ContainerNotFound and creates nothing' {
            $before = @(Invoke-DockerCli $EngineUri ps -aq).Count
            New-PinnedContainer -FromContainer "absent-$Run" -EngineUri $EngineUri -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound,*'
            @(Invoke-DockerCli $EngineUri ps -aq).Count | Should -Be $before
        }

        It '-FromContainer rolls back every replica when one name is taken' {
            $taken = "taken-$Run"
            New-PinnedContainer -FromContainer $Original -Name $taken -Label $RunLabel -EngineUri $EngineUri | Out-Null
            Invoke-DockerCli $EngineUri rename $taken "$taken-2" | Out-Null
            New-PinnedContainer -FromContainer $Original -Name $taken -Count 3 -Label $RunLabel -EngineUri $EngineUri -ErrorVariable failures -ErrorAction SilentlyContinue |
                Should -BeNullOrEmpty
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNameInUse,*'
            Test-ContainerExists $EngineUri "$taken-1" | Should -BeFalse
            Test-ContainerExists $EngineUri "$taken-3" | Should -BeFalse
        }
    }

    Context 'after the registry deleted the first manifest' {
        BeforeAll {
            Remove-RegistryManifest $Path $FirstDigest
        }

        It 'the original and its replicas are PinMissing; a container on the current tag stays Current' {
            $current = New-PinnedContainer "${Repo}:v1" -PullPolicy Always -Network none -Label $RunLabel -EngineUri $EngineUri
            $drift = Get-ImageDrift $Original, "replica-$Run-1", "replica-$Run-2", $current.Id -EngineUri $EngineUri
            $drift.Status | Should -Be 'PinMissing', 'PinMissing', 'PinMissing', 'Current'
            $drift[0].RunningDigest | Should -Be $FirstDigest
            $drift[0].CurrentDigest | Should -Be $AltDigest
            $drift[3].RunningDigest | Should -Be $AltDigest
        }
    }

    Context 'multi-platform images: like with like' {
        BeforeAll {
            $script:MultiPath = "drift-$Run/$($Engine.ToLowerInvariant())/multi"
            $script:Multi = "$($TestEnv.Registry)/$MultiPath"
            $script:Index = Copy-TestImage -Source $TestEnv.Fixtures.OciIndex.Reference -Destination "${Multi}:v1" -All -PreserveDigests -PassThru
            $script:Child = $TestEnv.Fixtures.OciIndex.Platforms.'linux/amd64'
            $script:PlainIndex = Get-SkopeoDigest $TestEnv.Fixtures.DockerList.Reference
            $script:FromIndex = New-PinnedContainer "${Multi}:v1" -PullPolicy Always -Name "index-$Run" -Network none -Label $RunLabel -EngineUri $EngineUri
            # name:tag@digest: pinned to the platform child, and following the tag.
            $script:FromChild = New-PinnedContainer "${Multi}:v1@$Child" -Name "child-$Run" -Network none -Label $RunLabel -EngineUri $EngineUri
        }

        It 'a container pinned to the index digest and one pinned to its platform child (same tag) are both Current, each in its own form' {
            $drift = Get-ImageDrift $FromIndex.Id, $FromChild.Id -EngineUri $EngineUri
            $drift.Status | Should -Be 'Current', 'Current'
            $drift[0].RunningDigest | Should -Be $Index
            $drift[0].CurrentDigest | Should -Be $Index
            $drift[1].RunningDigest | Should -Be $Child
            $drift[1].CurrentDigest | Should -Be $Child
            $drift.Platform | Should -Be 'linux/amd64', 'linux/amd64'
        }

        It 'a new index whose child for the platform is the same bytes keeps both Current' {
            # multi-plain: the same amd64 and arm64 children without the attestation, so another index digest.
            $plain = Copy-TestImage -Source "oci:$($TestEnv.FixtureLayout.Path):multi-plain" -Destination "${Multi}:v1" -All -PreserveDigests -PassThru
            $plain | Should -Not -Be $Index
            $drift = Get-ImageDrift $FromIndex.Id, $FromChild.Id -EngineUri $EngineUri
            $drift.Status | Should -Be 'Current', 'Current'
            $drift[0].RunningDigest | Should -Be $Index
            $drift[0].CurrentDigest | Should -Be $plain
            $drift[1].CurrentDigest | Should -Be $Child
        }

        It 'an index whose child for the platform is gone is PinMissing' {
            Copy-TestImage -Source $TestEnv.Fixtures.OciIndex.Reference -Destination "${Multi}:v1" -All -PreserveDigests | Out-Null
            Remove-RegistryManifest $MultiPath $Child
            $drift = Get-ImageDrift $FromIndex.Id, $FromChild.Id -EngineUri $EngineUri
            $drift.Status | Should -Be 'PinMissing', 'PinMissing'
        }
    }

    # Podman gives committed and built images a digest of their local manifest, so they cannot be told apart.
    It 'a container of a locally committed image is LocalOnly, and -FromContainer refuses it with NoRegistryDigest' -Skip:($Engine -eq 'Podman') {
        $local = "$Prefix/local-only:dev"
        Invoke-DockerCli $EngineUri commit $Original $local | Out-Null
        $c = New-Object psobject -Property @{ Id = (Invoke-DockerCli $EngineUri create --network none --label "dt-test=$Run" $local) }
        $d = $c | Get-ImageDrift -EngineUri $EngineUri
        $d.Status | Should -Be 'LocalOnly'
        $d.RunningDigest | Should -BeNullOrEmpty
        New-PinnedContainer -FromContainer $c -EngineUri $EngineUri -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NoRegistryDigest,*'
    }
}

Describe 'New-PinnedContainer -FromContainer on Podman when the image is listed under another repository' -Tag Engine, Drift {
    # One image pushed as an OCI manifest to one repository and as a Docker manifest to another, pulled from both:
    # Podman lists every name of the image with both digests. The many-names fixture has a config of its own, so
    # these names reach no other test's image.
    BeforeAll {
        $script:EngineUri = $TestEnv.PodmanHost
        $layout = $TestEnv.FixtureLayout.Path
        # The loop's variable must not be called $path: BeforeAll's variables reach the It blocks, and PowerShell's
        # names ignore case, so it would hide $script:Path whenever the followed repository is not the last pushed.
        $pushed = foreach ($form in 'oci', 'v2s2') {
            $formPath = "drift-$Run/foreign/$form"
            $digest = Copy-TestImage -Source "oci:${layout}:many-names" -Destination "$($TestEnv.Registry)/${formPath}:v1" -Format $form -PassThru
            Invoke-DockerCli $EngineUri pull --quiet "$($TestEnv.Registry)/${formPath}:v1" | Out-Null
            [pscustomobject]@{ Path = $formPath; Repo = "$($TestEnv.Registry)/$formPath"; Digest = $digest }
        }
        # Follow the repository whose own digest Podman lists second: the first it lists is one it never had.
        $listed = @((Invoke-DockerCli $EngineUri image inspect "$($pushed[0].Repo):v1" | ConvertFrom-Json).RepoDigests | Where-Object { $_ -like "$($pushed[0].Repo)@*" })
        $listed.Count | Should -Be 2
        $follow, $other = if ($listed[0] -eq "$($pushed[0].Repo)@$($pushed[0].Digest)") { $pushed[1], $pushed[0] } else { $pushed[0], $pushed[1] }
        $script:Path = $follow.Path
        $script:Repo = $follow.Repo
        $script:Own = $follow.Digest
        $script:Foreign = $other.Digest
        $script:Original = "foreign-$Run"
        Invoke-DockerCli $EngineUri create --name $Original --network none --label "dt-test=$Run" "${Repo}:v1" | Out-Null
    }
    AfterAll {
        Remove-EngineTestArtifact -EngineUri $EngineUri -RunId $Run -RepositoryPrefix "$($TestEnv.Registry)/drift-$Run/foreign"
    }

    It 'pins the replicas to the digest the repository has, not the first one Podman lists' {
        "$((Invoke-DockerCli $EngineUri image inspect "${Repo}:v1" | ConvertFrom-Json).RepoDigests | Where-Object { $_ -like "$Repo@*" } | Select-Object -First 1)" |
            Should -Be "$Repo@$Foreign"
        $r = New-PinnedContainer -FromContainer $Original -Label $RunLabel -EngineUri $EngineUri
        $r.Image | Should -Be "$Repo@$Own"
        Get-ContainerConfigImage $EngineUri $r.Id | Should -Be "$Repo@$Own"
        (Get-ImageDrift $Original -EngineUri $EngineUri).RunningDigest | Should -Be $Own
    }

    It 'fails ManifestUnknown, naming the digests tried, and creates nothing when the registry has none of them' {
        Remove-RegistryManifest $Path $Own
        $before = @(Invoke-DockerCli $EngineUri ps -aq).Count
        New-PinnedContainer -FromContainer $Original -Label $RunLabel -EngineUri $EngineUri -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ManifestUnknown,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].Exception.Message | Should -BeLike "*under $Repo with the digests $Foreign, $Own; the registry has none of them*"
        @(Invoke-DockerCli $EngineUri ps -aq).Count | Should -Be $before
    }
}

Describe 'Get-ImageDrift when the registry cannot be asked' -Tag Engine, Drift {
    BeforeAll {
        $script:EngineUri = $TestEnv.DockerHost
        $script:Repo = "$Prefix/unknown/app"
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "${Repo}:v1" -PreserveDigests
        $script:Proxy = Start-FaultProxy -Upstream $TestEnv.Registry
        # The same image reached through a proxy on another port: a "registry" that can be made to fail.
        $script:ProxyRepo = "$($Proxy.Address)/drift-$Run/unknown/app"
        Copy-TestImage -Source "${Repo}:v1" -Destination "${ProxyRepo}:v1" -PreserveDigests
        $script:Container = Invoke-DockerCli $EngineUri run --detach --network none --label "dt-test=$Run" "${ProxyRepo}:v1" sleep 3600 |
            Select-Object -Last 1   # the CLI's pull progress comes first
    }
    AfterAll {
        Stop-FaultProxy $Proxy
        Remove-EngineTestArtifact -EngineUri $EngineUri -RunId $Run -RepositoryPrefix $Prefix, $ProxyRepo
    }

    It 'is Unknown with the error on the object and written with its usual ErrorId' {
        Set-FaultRule $Proxy -Path '/manifests/' -Action status -Status 403 -Body '{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}'
        try {
            $d = Get-ImageDrift $Container -EngineUri $EngineUri -ErrorVariable failures -ErrorAction SilentlyContinue
        }
        finally { Clear-FaultRule $Proxy }
        $d.Status | Should -Be 'Unknown'
        $d.RunningDigest | Should -Be (Get-SkopeoDigest "${Repo}:v1")
        $d.CurrentDigest | Should -BeNullOrEmpty
        $d.Error.FullyQualifiedErrorId | Should -BeLike 'Denied,*'
        $d.Error.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'Denied,*'
    }
}
