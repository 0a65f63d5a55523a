#Requires -Version 7.2
# Get-ImageDigest against the real registry of the shared test environment (build.ps1 -Task Test).
# Every digest is checked against the fixture JSON and against skopeo, an oracle independent of DigestTools.

BeforeAll {
    Import-Module $env:DIGESTTOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'infra/TestEnvironment.psm1')
    $script:TestEnv = Get-TestEnvironment
    $script:Registry = $TestEnv.Registry
    $script:Fixtures = $TestEnv.Fixtures

    # Output and errors of one call, in the order the cmdlet wrote them.
    function Invoke-Collect([scriptblock] $Script) {
        # The suite runner sets ErrorActionPreference Stop; here non-terminating errors must stay so.
        $ErrorActionPreference = 'Continue'
        $all = @(& $Script 2>&1)
        [pscustomobject]@{
            All    = $all
            Output = @($all | Where-Object { $_ -is [DigestTools.ImageDigestInfo] })
            Errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        }
    }

    function Get-ErrorId([System.Management.Automation.ErrorRecord] $Record) { ($Record.FullyQualifiedErrorId -split ',')[0] }

    # A repository name no other test uses, so moving its tag cannot disturb anyone.
    function New-ScratchReference([string] $Tag = 'moving') { "$Registry/scratch/r$([guid]::NewGuid().ToString('N').Substring(0, 12)):$Tag" }
}

Describe 'Get-ImageDigest: single-platform manifests' -Tag Registry {
    It 'resolves the <Name> fixture to the digest skopeo sees' -ForEach @(
        @{ Name = 'Oci'; MediaType = 'application/vnd.oci.image.manifest.v1+json' }
        @{ Name = 'Docker'; MediaType = 'application/vnd.docker.distribution.manifest.v2+json' }
        @{ Name = 'OciAlt'; MediaType = 'application/vnd.oci.image.manifest.v1+json' }
    ) {
        $fixture = $Fixtures.$Name
        $manifest = Get-SkopeoManifest -Reference $fixture.Reference

        $info = Get-ImageDigest $fixture.Reference -ErrorAction Stop

        $info | Should -BeOfType ([DigestTools.ImageDigestInfo])
        $info.Digest | Should -Be $fixture.Digest
        $info.Digest | Should -Be $manifest.RawDigest
        $info.MediaType | Should -Be $MediaType
        $info.Size | Should -Be ([System.Text.Encoding]::UTF8.GetByteCount($manifest.Raw))
        $info.PlatformDigest | Should -Be $fixture.Digest
        $info.Platform | Should -BeNullOrEmpty
        $info.Platforms | Should -BeNullOrEmpty
        $info.Registry | Should -Be $Registry
        $info.Reference.ToString() | Should -Be $fixture.Reference
        $info.PinnedReference.ToString() | Should -Be "$($fixture.Reference)@$($fixture.Digest)"
    }

    It 'accepts ImageReference objects as well as strings' {
        $reference = [DigestTools.ImageReference]::Parse($Fixtures.Docker.Reference)
        (Get-ImageDigest -Reference $reference -ErrorAction Stop).Digest | Should -Be $Fixtures.Docker.Digest
    }

    It 'checks a digest reference exists without re-resolving it' {
        $name = $Fixtures.Oci.Reference -replace ':[^:/]+$'
        $info = Get-ImageDigest "$name@$($Fixtures.Oci.Digest)" -ErrorAction Stop
        $info.Digest | Should -Be $Fixtures.Oci.Digest
        $info.Tag | Should -BeNullOrEmpty
        $info.PinnedReference.ToString() | Should -Be "$name@$($Fixtures.Oci.Digest)"
    }

    It 'gives a PinnedReference whose digest-only form skopeo resolves to the same manifest' {
        $info = Get-ImageDigest $Fixtures.Docker.Reference -ErrorAction Stop
        $info.PinnedReference | Should -BeOfType [string]
        Get-SkopeoDigest ([DigestTools.ImageReference]$info.PinnedReference).WithoutTag().ToString() | Should -Be $info.Digest
    }

    It 'gives a PinnedReference that docker pull takes as-is (tag and digest)' {
        if (-not $TestEnv.DockerHost) { Set-ItResult -Skipped -Because 'the test environment has no dockerd' ; return }
        $info = Get-ImageDigest $Fixtures.Oci.Reference -ErrorAction Stop
        $pinned = $info.PinnedReference.ToString()
        $output = & docker -H $TestEnv.DockerHost pull $pinned 2>&1
        try {
            $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
            ($output -join "`n") | Should -Match ([regex]::Escape($info.Digest))
            $repoDigests = & docker -H $TestEnv.DockerHost image inspect --format '{{json .RepoDigests}}' $pinned | ConvertFrom-Json
            $repoDigests | Should -Contain "$(([DigestTools.ImageReference]$info.Reference).Name)@$($info.Digest)"
        }
        finally { & docker -H $TestEnv.DockerHost image rm --force $pinned *> $null }
    }
}

Describe 'Get-ImageDigest: multi-platform images' -Tag Registry {
    BeforeDiscovery { $script:IndexCases = @(@{ Name = 'OciIndex' }, @{ Name = 'DockerList' }) }

    It '<Name>: the index digest and the linux/amd64 digest' -ForEach $IndexCases {
        $fixture = $Fixtures.$Name
        $info = Get-ImageDigest $fixture.Reference -Platform linux/amd64 -ErrorAction Stop

        $info.Digest | Should -Be $fixture.Digest
        $info.Digest | Should -Be (Get-SkopeoDigest $fixture.Reference)
        $info.MediaType | Should -Be $fixture.MediaType
        $info.Platform | Should -Be 'linux/amd64'
        $info.PlatformDigest | Should -Be $fixture.Platforms.'linux/amd64'
        $info.PinnedReference.ToString() | Should -Be "$($fixture.Reference)@$($fixture.Digest)"
        $name = $fixture.Reference -replace ':[^:/]+$'
        Get-SkopeoDigest "$name@$($info.PlatformDigest)" | Should -Be $info.PlatformDigest
    }

    It '<Name>: -Platform <Platform> selects the arm64 child' -ForEach @(
        @{ Name = 'OciIndex'; Platform = 'linux/arm64' }
        @{ Name = 'OciIndex'; Platform = 'linux/arm64/v8' }
        @{ Name = 'DockerList'; Platform = 'linux/arm64' }
        @{ Name = 'DockerList'; Platform = 'LINUX/ARM64/V8' }
    ) {
        $fixture = $Fixtures.$Name
        $info = Get-ImageDigest $fixture.Reference -Platform $Platform -ErrorAction Stop
        $info.Digest | Should -Be $fixture.Digest
        $info.Platform | Should -Be 'linux/arm64/v8'
        $info.PlatformDigest | Should -Be $fixture.Platforms.'linux/arm64/v8'
        $info.PlatformDigest | Should -Not -Be $fixture.Platforms.'linux/amd64'
    }

    It '<Name>: Platforms lists the real platforms and no attestation' -ForEach $IndexCases {
        $fixture = $Fixtures.$Name
        $info = Get-ImageDigest $fixture.Reference -ErrorAction Stop
        @($info.Platforms | Sort-Object) | Should -Be @($fixture.Platforms.PSObject.Properties.Name | Sort-Object)
        $info.Platforms | Should -Not -Contain 'unknown/unknown'
    }

    It 'OciIndex really carries an attestation entry (so the previous test means something)' {
        $raw = (Get-SkopeoManifest -Reference $Fixtures.OciIndex.Reference).Raw | ConvertFrom-Json
        @($raw.manifests | Where-Object { $_.platform.os -eq 'unknown' -and $_.platform.architecture -eq 'unknown' }).Count | Should -BeGreaterThan 0
        @($raw.manifests).Count | Should -BeGreaterThan @($Fixtures.OciIndex.Platforms.PSObject.Properties).Count
    }

    It 'resolves an index by digest: the digest stands, the platform is still selected' {
        $fixture = $Fixtures.OciIndex
        $name = $fixture.Reference -replace ':[^:/]+$'
        $info = Get-ImageDigest "$name@$($fixture.Digest)" -Platform linux/arm64 -ErrorAction Stop
        $info.Digest | Should -Be $fixture.Digest
        $info.PlatformDigest | Should -Be $fixture.Platforms.'linux/arm64/v8'
    }

    It 'a platform the index lacks gives PlatformNotFound naming the available ones, and no output' {
        $r = Invoke-Collect { Get-ImageDigest $Fixtures.OciIndex.Reference -Platform linux/s390x }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 1
        Get-ErrorId $r.Errors[0] | Should -Be 'PlatformNotFound'
        $r.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $r.Errors[0].Exception.Message | Should -Match 'linux/amd64'
        $r.Errors[0].Exception.Message | Should -Match 'linux/arm64/v8'
    }

    It 'rejects a malformed -Platform with InvalidPlatform, as every cmdlet does' {
        $r = Invoke-Collect { Get-ImageDigest $Fixtures.OciIndex.Reference -Platform 'linux' }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors[0].FullyQualifiedErrorId | Should -Be 'InvalidPlatform,DigestTools.GetImageDigestCommand'
        $r.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        { Invoke-ImagePull busybox -Platform 'linux' -EngineUri unix:///nonexistent.sock -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPlatform,DigestTools.InvokeImagePullCommand'
        { New-PinnedContainer busybox -Platform 'a/b/c/d' -EngineUri unix:///nonexistent.sock -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPlatform,DigestTools.NewPinnedContainerCommand'
    }
}

Describe 'Get-ImageDigest: a tag that moves' -Tag Registry {
    It 'resolves the new digest after the move, and the old digest still resolves by digest' {
        $reference = New-ScratchReference
        $name = $reference -replace ':[^:/]+$'
        Copy-TestImage -Source $Fixtures.Oci.Reference -Destination $reference
        $before = Get-ImageDigest $reference -ErrorAction Stop
        $before.Digest | Should -Be $Fixtures.Oci.Digest

        Copy-TestImage -Source $Fixtures.OciAlt.Reference -Destination $reference
        $after = Get-ImageDigest $reference -ErrorAction Stop

        $after.Digest | Should -Be $Fixtures.OciAlt.Digest
        $after.Digest | Should -Not -Be $before.Digest
        $after.Digest | Should -Be (Get-SkopeoDigest $reference)
        (Get-ImageDigest ([DigestTools.ImageReference]$before.PinnedReference).WithoutTag() -ErrorAction Stop).Digest | Should -Be $before.Digest
    }
}

Describe 'Get-ImageDigest: errors, one per failed input' -Tag Registry {
    It 'an unknown repository is ObjectNotFound with the registry''s code' {
        $r = Invoke-Collect { Get-ImageDigest "$Registry/does/not-exist:1" }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 1
        # distribution 2.8 answers MANIFEST_UNKNOWN for an unknown repository; others say NAME_UNKNOWN.
        Get-ErrorId $r.Errors[0] | Should -BeIn @('ManifestUnknown', 'NameUnknown')
        $r.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $r.Errors[0].TargetObject.ToString() | Should -Be "$Registry/does/not-exist:1"
        $r.Errors[0].Exception.Message | Should -Match ([regex]::Escape($Registry))
    }

    It 'an unknown tag is ManifestUnknown' {
        $name = $Fixtures.Oci.Reference -replace ':[^:/]+$'
        $r = Invoke-Collect { Get-ImageDigest "${name}:no-such-tag" }
        $r.Output | Should -BeNullOrEmpty
        Get-ErrorId $r.Errors[0] | Should -Be 'ManifestUnknown'
        $r.Errors[0].Exception.Message | Should -Match 'no-such-tag'
    }

    It 'a digest that does not exist is ManifestUnknown, with no output' {
        $name = $Fixtures.Oci.Reference -replace ':[^:/]+$'
        $missing = 'sha256:' + ('0123456789abcdef' * 4)
        $r = Invoke-Collect { Get-ImageDigest "$name@$missing" }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 1
        Get-ErrorId $r.Errors[0] | Should -Be 'ManifestUnknown'
    }

    It 'malformed references mixed into a pipeline: one InvalidReference each, the rest resolve, input order kept' {
        $inputs = @(
            $Fixtures.Oci.Reference
            'Upper/Case:tag'
            $Fixtures.Docker.Reference
            "$Registry/fixtures/busybox@sha256:abc"
            $Fixtures.OciAlt.Reference
            ''
        )
        $r = Invoke-Collect { $inputs | Get-ImageDigest }

        $r.All.Count | Should -Be 6
        $r.All[0].Digest | Should -Be $Fixtures.Oci.Digest
        $r.All[2].Digest | Should -Be $Fixtures.Docker.Digest
        $r.All[4].Digest | Should -Be $Fixtures.OciAlt.Digest
        foreach ($i in 1, 3, 5) {
            $r.All[$i] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            Get-ErrorId $r.All[$i] | Should -Be 'InvalidReference'
            $r.All[$i].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $r.All[$i].TargetObject | Should -Be $inputs[$i]
        }
        $r.All[1].Exception.Message | Should -Match 'lowercase'
    }

    It 'a bad reference given by position does not stop the good ones' {
        $r = Invoke-Collect { Get-ImageDigest $Fixtures.Oci.Reference, 'Bad Reference', $Fixtures.Docker.Reference }
        $r.Output.Digest | Should -Be @($Fixtures.Oci.Digest, $Fixtures.Docker.Digest)
        $r.Errors.Count | Should -Be 1
    }
}

Describe 'Get-ImageDigest: pipeline input' -Tag Registry {
    It 'binds by property name (<Property>)' -ForEach @(@{ Property = 'Reference' }, @{ Property = 'Image' }, @{ Property = 'Name' }) {
        $item = [pscustomobject]@{ $Property = $Fixtures.Docker.Reference; Other = 'x' }
        ($item | Get-ImageDigest -ErrorAction Stop).Digest | Should -Be $Fixtures.Docker.Digest
    }

    It 'takes its own output back: the PinnedReference wins (checked by digest), as in every cmdlet' {
        $first = Get-ImageDigest $Fixtures.Oci.Reference, $Fixtures.Docker.Reference -ErrorAction Stop
        $again = $first | Get-ImageDigest -ErrorAction Stop
        $again.Digest | Should -Be $first.Digest
        $again.PinnedReference | Should -Be $first.PinnedReference
        $again[0].Reference.ToString() | Should -Be $first[0].PinnedReference
        $again[0].Tag | Should -Be $first[0].Tag
        # To resolve the tag afresh, pass the Reference itself.
        ($first.Reference | Get-ImageDigest -ErrorAction Stop).Reference.ForEach({ $_.ToString() }) | Should -Be $first.Reference.ForEach({ $_.ToString() })
    }

    It 'keeps input order for many references resolved concurrently' {
        $pool = @($Fixtures.Oci, $Fixtures.Docker, $Fixtures.OciAlt, $Fixtures.OciIndex, $Fixtures.DockerList)
        $inputs = foreach ($i in 0..59) { $pool[($i * 7) % $pool.Count] }
        $results = $inputs.Reference | Get-ImageDigest -ThrottleLimit 12 -ErrorAction Stop
        $results.Count | Should -Be 60
        $results.Digest | Should -Be $inputs.Digest
        $results.Reference.ForEach({ $_.ToString() }) | Should -Be $inputs.Reference
    }

    It 'writes a finished result while later input still arrives (not only at the end)' {
        # Upstream pauses between items (generously, the loopback answer takes milliseconds); the first
        # result must reach downstream while the second item is processed, before the third is sent.
        $events = [System.Collections.Generic.List[string]]::new()
        $references = @($Fixtures.Oci.Reference, $Fixtures.Docker.Reference, $Fixtures.OciAlt.Reference)
        & {
            foreach ($i in 0..2) {
                $events.Add("in$i")
                $references[$i]
                Start-Sleep -Milliseconds 1500
            }
        } | Get-ImageDigest -ErrorAction Stop | ForEach-Object { $events.Add("out:$($_.Digest)") }

        $events.IndexOf("out:$($Fixtures.Oci.Digest)") | Should -BeLessThan $events.IndexOf('in2')
        @($events | Where-Object { $_ -like 'out:*' }) | Should -Be @(
            "out:$($Fixtures.Oci.Digest)", "out:$($Fixtures.Docker.Digest)", "out:$($Fixtures.OciAlt.Digest)")
    }
}

Describe 'Get-ImageDigest: -Verbose' -Tag Registry {
    It 'says what was asked of whom: the method and URL' {
        $fixture = $Fixtures.Oci
        $tag = ($fixture.Reference -split ':')[-1]
        $repository = ($fixture.Reference.Substring($Registry.Length + 1)) -replace ':[^:/]+$'
        $verbose = @(Get-ImageDigest $fixture.Reference -Verbose -ErrorAction Stop 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        $verbose | Should -Contain "HEAD http://$Registry/v2/$repository/manifests/$tag"
        ($verbose -join "`n") | Should -Match ([regex]::Escape("200 OK $($fixture.Digest)"))
    }
}

Describe 'Get-ImageDigest: a registry that misbehaves (fault proxy in front of the real registry)' -Tag Registry {
    BeforeAll {
        $script:Proxy = Start-FaultProxy -Upstream $Registry
        # The same fixture, reached through the proxy.
        function Get-ProxiedReference([string] $Reference) { $Proxy.Address + $Reference.Substring($Registry.Length) }
    }
    AfterAll { if ($Proxy) { Stop-FaultProxy $Proxy } }
    BeforeEach {
        Clear-FaultRule $Proxy
        Clear-ProxyRequest $Proxy
    }

    It 'without Docker-Content-Digest, GETs the manifest and hashes it: the same digest (<Name>)' -ForEach @(@{ Name = 'Oci' }, @{ Name = 'Docker' }, @{ Name = 'OciIndex' }) {
        $fixture = $Fixtures.$Name
        Set-FaultRule $Proxy -Path '/manifests/' -Action drop-header -Header 'Docker-Content-Digest' | Out-Null
        $reference = Get-ProxiedReference $fixture.Reference
        $tag = ($reference -split ':')[-1]

        $info = Get-ImageDigest $reference -Platform linux/amd64 -ErrorAction Stop

        $info.Digest | Should -Be $fixture.Digest
        $info.MediaType | Should -Be $fixture.MediaType
        if ($fixture.Platforms) { $info.PlatformDigest | Should -Be $fixture.Platforms.'linux/amd64' }
        $requests = @(Get-ProxyRequest $Proxy -Path '/manifests/')
        @($requests | Where-Object { $_.method -eq 'HEAD' -and $_.path -like "*/manifests/$tag" }).Count | Should -Be 1
        @($requests | Where-Object { $_.method -eq 'GET' -and $_.path -like "*/manifests/$tag" }).Count | Should -Be 1
    }

    It 'with the header present, sends no GET for a single manifest (the fallback is really a fallback)' {
        $info = Get-ImageDigest (Get-ProxiedReference $Fixtures.Oci.Reference) -ErrorAction Stop
        $info.Digest | Should -Be $Fixtures.Oci.Digest
        @(Get-ProxyRequest $Proxy -Path '/manifests/' | Where-Object method -eq 'GET').Count | Should -Be 0
    }

    It 'asks once for a reference repeated in one call, and once per index digest' {
        $oci = Get-ProxiedReference $Fixtures.Oci.Reference
        $index = Get-ProxiedReference $Fixtures.OciIndex.Reference
        $results = @($oci, $index, $oci, $index, $oci) | Get-ImageDigest -ErrorAction Stop
        $results.Digest | Should -Be @($Fixtures.Oci.Digest, $Fixtures.OciIndex.Digest, $Fixtures.Oci.Digest, $Fixtures.OciIndex.Digest, $Fixtures.Oci.Digest)
        $requests = @(Get-ProxyRequest $Proxy -Path '/manifests/')
        @($requests | Where-Object method -eq 'HEAD').Count | Should -Be 2
        @($requests | Where-Object method -eq 'GET').Count | Should -Be 1
    }

    It 'a by-digest fetch whose body was altered is DigestMismatch, with no output' {
        $name = (Get-ProxiedReference $Fixtures.Oci.Reference) -replace ':[^:/]+$'
        # No header, so the client must fetch and hash; the body it gets is not the one asked for.
        Set-FaultRule $Proxy -Path '/manifests/sha256:' -Action drop-header -Header 'Docker-Content-Digest' | Out-Null
        Set-FaultRule $Proxy -Path '/manifests/sha256:' -Method GET -Action alter-body -Alter append-whitespace | Out-Null

        $r = Invoke-Collect { Get-ImageDigest "$name@$($Fixtures.Oci.Digest)" }

        $r.Output | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 1
        Get-ErrorId $r.Errors[0] | Should -Be 'DigestMismatch'
        $r.Errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $r.Errors[0].Exception.Message | Should -Match ([regex]::Escape($Fixtures.Oci.Digest))
        @(Get-ProxyRequest $Proxy -Path '/manifests/sha256:' | Where-Object method -eq 'GET').Count | Should -Be 1
    }

    It 'an index altered on its by-digest fetch is DigestMismatch, with no output' {
        Set-FaultRule $Proxy -Path '/manifests/sha256:' -Method GET -Action alter-body -Alter flip-byte | Out-Null
        $r = Invoke-Collect { Get-ImageDigest (Get-ProxiedReference $Fixtures.OciIndex.Reference) }
        $r.Output | Should -BeNullOrEmpty
        Get-ErrorId $r.Errors[0] | Should -Be 'DigestMismatch'
    }

    It 'a registry error status on HEAD is read from the repeated GET (<Code>)' -ForEach @(
        @{ Status = 401; Code = 'UNAUTHORIZED'; ErrorId = 'Unauthorized'; Category = 'AuthenticationError' }
        @{ Status = 403; Code = 'DENIED'; ErrorId = 'Denied'; Category = 'PermissionDenied' }
        @{ Status = 404; Code = 'NAME_UNKNOWN'; ErrorId = 'NameUnknown'; Category = 'ObjectNotFound' }
    ) {
        $body = '{"errors":[{"code":"' + $Code + '","message":"injected by the test proxy"}]}'
        Set-FaultRule $Proxy -Path '/manifests/' -Action status -Status $Status -Body $body | Out-Null
        $r = Invoke-Collect { Get-ImageDigest (Get-ProxiedReference $Fixtures.Docker.Reference) }
        $r.Output | Should -BeNullOrEmpty
        Get-ErrorId $r.Errors[0] | Should -Be $ErrorId
        $r.Errors[0].CategoryInfo.Category | Should -Be $Category
        $r.Errors[0].Exception.Message | Should -Match 'injected by the test proxy'
        @(Get-ProxyRequest $Proxy -Path '/manifests/' | ForEach-Object method) | Should -Be @('HEAD', 'GET')
    }

    It 'a registry without /v2/ that answers /v1/_ping is RegistryV1Unsupported' {
        Set-FaultRule $Proxy -Path '^/v2/$' -Action status -Status 404 | Out-Null
        Set-FaultRule $Proxy -Path '^/v1/_ping$' -Action status -Status 200 -Body '{}' | Out-Null
        $r = Invoke-Collect { Get-ImageDigest (Get-ProxiedReference $Fixtures.Oci.Reference) }
        $r.Output | Should -BeNullOrEmpty
        Get-ErrorId $r.Errors[0] | Should -Be 'RegistryV1Unsupported'
        $r.Errors[0].CategoryInfo.Category | Should -Be 'NotImplemented'
    }

    It 'a server with neither /v2/ nor /v1/ is said to be no registry (RegistryProtocolError), not v1' {
        Set-FaultRule $Proxy -Path '^/v2/$' -Action status -Status 404 | Out-Null
        $r = Invoke-Collect { Get-ImageDigest (Get-ProxiedReference $Fixtures.Oci.Reference) }
        $r.Output | Should -BeNullOrEmpty
        Get-ErrorId $r.Errors[0] | Should -Be 'RegistryProtocolError'
        $r.Errors[0].Exception.Message | Should -Match 'is not a container registry'
        $r.Errors[0].Exception.Message | Should -Not -Match 'v1 is not supported'
    }
}

Describe 'Get-ImageDigest: unreachable and stopped' -Tag Registry {
    It 'a registry nobody listens on is RegistryUnreachable naming the host' {
        $address = "127.0.0.1:$(Get-FreeTcpPort)"
        $r = Invoke-Collect { Get-ImageDigest "$address/some/repo:1", $Fixtures.Oci.Reference }
        $r.Output.Digest | Should -Be $Fixtures.Oci.Digest
        $r.Errors.Count | Should -Be 1
        Get-ErrorId $r.Errors[0] | Should -Be 'RegistryUnreachable'
        $r.Errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $r.Errors[0].Exception.Message | Should -Match ([regex]::Escape($address))
    }

    It 'stops promptly when the pipeline is stopped (Ctrl+C), long before the request timeout' {
        # A listener that accepts connections and never answers: the request would hang for -TimeoutSec.
        $silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $silent.Start()
        $ps = [powershell]::Create()
        try {
            $address = "127.0.0.1:$($silent.LocalEndpoint.Port)"
            $null = $ps.AddScript("Import-Module '$env:DIGESTTOOLS_MODULE'; Get-ImageDigest '$address/never/answers:1' -TimeoutSec 600")
            $running = $ps.BeginInvoke()
            $deadline = [datetime]::UtcNow.AddSeconds(30)
            while ($silent.Pending() -eq $false -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $silent.Pending() | Should -BeTrue -Because 'the cmdlet should be waiting on the silent registry'

            $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $stopwatch.Stop()

            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $running.IsCompleted | Should -BeTrue
            # Generous: the point is "not the 600 s timeout".
            $stopwatch.Elapsed.TotalSeconds | Should -BeLessThan 30
        }
        finally {
            $ps.Dispose()
            $silent.Stop()
        }
    }
}
