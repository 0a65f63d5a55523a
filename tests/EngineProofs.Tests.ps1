# Tests that fail when an engine-side promise breaks (issue 15): every New-PinnedContainer parameter as the engine
# itself records it (docker inspect), the pull's proofs against an engine that reports other bytes (the fault proxy
# rewrites its replies), and secrets on the engine path searched in every stream. Docker and Podman alike.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'EngineTestSupport.psm1')
    $engines = Get-EngineTestCase
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'EngineTestSetup.ps1') -Purpose engine-proofs

    function Get-Inspect([string] $EngineUri, [string] $Id) {
        (Invoke-DockerCli $EngineUri inspect --type container $Id) -join "`n" | ConvertFrom-Json | Select-Object -First 1
    }
}

Describe 'New-PinnedContainer parameters as <Engine> records them' -Tag Engine, EngineProofs -ForEach $engines {
    BeforeAll {
        $script:Repo = "$Prefix/$($Engine.ToLowerInvariant())/busybox"
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "${Repo}:v1"
        $script:Digest = Get-SkopeoDigest "${Repo}:v1"
        $script:Dir = Join-Path $TestEnv.StateDir "proofs-$Run-$Engine"
        New-Item -ItemType Directory -Force -Path $Dir | Out-Null
    }
    AfterAll {
        Remove-EngineTestArtifact -EngineUri $EngineUri -RunId $Run -RepositoryPrefix $Prefix
        Remove-Item -Recurse -Force $Dir -ErrorAction SilentlyContinue
    }

    It 'records the three io.digesttools labels, the caller''s labels, entrypoint, ports, volumes, mounts, restart policy, user and working directory' {
        $port = Get-FreeTcpPort
        $c = New-PinnedContainer "${Repo}:v1" -Label @{ 'dt-test' = $Run; 'com.example.role' = 'replica' } `
            -Entrypoint '/bin/sh', '-c' -Command 'echo hi' -Publish "127.0.0.1:${port}:8080/tcp" `
            -Volume "${Dir}:/v:ro" -Mount "type=bind,source=$Dir,target=/m,readonly" -RestartPolicy 'on-failure:3' `
            -User '4321' -WorkingDirectory '/tmp' -Environment @{ GREETING = 'hi' } -EngineUri $EngineUri
        $i = Get-Inspect $EngineUri $c.Id
        $i.Config.Labels.'io.digesttools.source-reference' | Should -Be "${Repo}:v1"
        $i.Config.Labels.'io.digesttools.digest' | Should -Be $Digest
        $i.Config.Labels.'io.digesttools.pinned-reference' | Should -Be "$Repo@$Digest"
        $i.Config.Labels.'io.digesttools.creation-id' | Should -Match '^[0-9a-f]{32}$'
        $i.Config.Labels.'com.example.role' | Should -Be 'replica'
        $i.Config.Image | Should -Be "$Repo@$Digest"
        @($i.Config.Entrypoint) | Should -Be @('/bin/sh', '-c')
        @($i.Config.Cmd) | Should -Be @('echo hi')
        $i.Config.Env | Should -Contain 'GREETING=hi'
        $binding = @($i.HostConfig.PortBindings.'8080/tcp')
        $binding.Count | Should -Be 1
        $binding[0].HostIp | Should -Be '127.0.0.1'
        $binding[0].HostPort | Should -Be "$port"
        $volume = @($i.Mounts | Where-Object Destination -EQ '/v')
        $volume.Count | Should -Be 1
        $volume[0].Source | Should -Be $Dir
        $volume[0].RW | Should -BeFalse
        $mount = @($i.Mounts | Where-Object Destination -EQ '/m')
        $mount.Count | Should -Be 1
        $mount[0].Source | Should -Be $Dir
        $mount[0].RW | Should -BeFalse
        $i.HostConfig.RestartPolicy.Name | Should -Be 'on-failure'
        $i.HostConfig.RestartPolicy.MaximumRetryCount | Should -Be 3
        $i.Config.User | Should -Be '4321'
        $i.Config.WorkingDir | Should -Be '/tmp'
        $i.State.Status | Should -Be 'created'
        $c.State | Should -Be 'created'
    }

    It 'starts with -Start alone and returns without waiting: the engine says running' {
        $c = New-PinnedContainer "$Repo@$Digest" -Command sh, -c, 'sleep 60' -Start -Network none -Label $RunLabel -EngineUri $EngineUri
        $c.State | Should -Be 'running'
        $c.ExitCode | Should -BeNullOrEmpty
        (Get-Inspect $EngineUri $c.Id).State.Status | Should -Be 'running'
    }

    It 'asks the engine to remove the container on exit with -Remove without -Wait (AutoRemove), and it is gone after it exits' {
        $c = New-PinnedContainer "$Repo@$Digest" -Command sh, -c, 'sleep 3' -Start -Remove -Network none -Label $RunLabel -EngineUri $EngineUri
        (Get-Inspect $EngineUri $c.Id).HostConfig.AutoRemove | Should -BeTrue
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ((Test-ContainerExists $EngineUri $c.Id) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 250 }
        Test-ContainerExists $EngineUri $c.Id | Should -BeFalse
    }

    It 'passes -Platform to the create request, and the container runs that platform''s image' {
        $list = "$Prefix/$($Engine.ToLowerInvariant())/multi"
        Copy-TestImage -Source $TestEnv.Fixtures.DockerList.Reference -Destination "${list}:list" -All
        $proxy = Start-FaultProxy -Upstream $EngineUri
        try {
            $c = New-PinnedContainer "${list}:list" -Platform linux/arm64/v8 -Network none -Label $RunLabel -EngineUri "tcp://$($proxy.Address)"
            $create = @(Get-ProxyRequest $proxy -Path '/containers/create')
        }
        finally { Stop-FaultProxy $proxy }
        $create.Count | Should -Be 1
        [uri]::UnescapeDataString(([uri]"http://x$($create[0].path)").Query) | Should -Match '(^\?|&)platform=linux/arm64/v8(&|$)'
        $imageId = (Get-Inspect $EngineUri $c.Id).Image
        Invoke-DockerCli $EngineUri image inspect --format '{{.Os}}/{{.Architecture}}' $imageId | Should -Be 'linux/arm64'
    }
}

Describe 'The pull''s proofs on <Engine> against an engine that reports other bytes' -Tag Engine, EngineProofs -ForEach $engines {
    BeforeAll {
        $script:Repo = "$Prefix/$($Engine.ToLowerInvariant())/proof"
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "${Repo}:v1"
        $script:Digest = Get-SkopeoDigest "${Repo}:v1"
        $script:Other = 'sha256:' + ('0' * 64)
        $script:Proxy = Start-FaultProxy -Upstream $EngineUri
        $script:ProxyUri = "tcp://$($Proxy.Address)"
    }
    AfterAll {
        Stop-FaultProxy $Proxy
        Remove-EngineTestArtifact -EngineUri $EngineUri -RunId $Run -RepositoryPrefix $Prefix
    }
    AfterEach { Clear-FaultRule $Proxy; Clear-ProxyRequest $Proxy }

    It 'fails a pull whose image, inspected afterwards, does not carry repository@digest (RepoDigests altered): DigestMismatch' {
        $null = Set-FaultRule $Proxy -Method GET -Path '^/v[0-9.]+/images/.*/json' -Action replace-text -Find $Digest.Substring(7) -Value $Other.Substring(7)
        $r = Invoke-ImagePull "$Repo@$Digest" -EngineUri $ProxyUri -ErrorVariable failures -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'DigestMismatch,DigestTools.InvokeImagePullCommand'
        $failures[0].Exception.Message | Should -BeLike "*expected digest $Digest*recorded $Other*"
    }

    It 'fails a by-digest pull whose stream reports another digest: DigestMismatch' -Skip:($Engine -eq 'Podman') {
        # Podman writes no "Digest:" line; Docker's is the stream proof.
        $null = Set-FaultRule $Proxy -Method POST -Path '^/v[0-9.]+/images/create' -Action replace-text -Find "Digest: $Digest" -Value "Digest: $Other"
        $r = Invoke-ImagePull "$Repo@$Digest" -EngineUri $ProxyUri -ErrorVariable failures -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'DigestMismatch,DigestTools.InvokeImagePullCommand'
        $failures[0].Exception.Message | Should -BeLike "*expected digest $Digest*recorded $Other*"
        @(Get-ProxyRequest $Proxy -Path '/images/create')[0].appliedRules.Count | Should -Be 1
    }

    It 'fails a tag pull whose stream names a digest the image does not carry: DigestMismatch, and New-PinnedContainer creates nothing' -Skip:($Engine -eq 'Podman') {
        $null = Set-FaultRule $Proxy -Method POST -Path '^/v[0-9.]+/images/create' -Action replace-text -Find "Digest: $Digest" -Value "Digest: $Other"
        $marker = "$Run-tagproof"
        New-PinnedContainer "${Repo}:v1" -PullPolicy Always -Label @{ 'dt-test' = $Run; 'dt-marker' = $marker } -EngineUri $ProxyUri -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'DigestMismatch,DigestTools.NewPinnedContainerCommand'
        Invoke-DockerCli $EngineUri ps --all --quiet --filter "label=dt-marker=$marker" | Should -BeNullOrEmpty
    }
}

Describe 'Secrets on the engine path (<Engine>)' -Tag Engine, EngineProofs, Auth -ForEach $engines {
    BeforeAll {
        $script:User = 'puller'
        $script:Password = 'Pw-' + [guid]::NewGuid().ToString('N')
        $htpasswd = Join-Path $TestEnv.StateDir "htpasswd-proofs-$Run-$Engine"
        & htpasswd -Bbc $htpasswd $User $Password 2>$null
        $script:AuthRegistry = Start-TestRegistry -AuthConfig @{ htpasswd = @{ realm = 'basic-realm'; path = $htpasswd } }
        $script:Private = "$($AuthRegistry.Address)/secret-$Run/busybox"
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "${Private}:v1" -DestinationCredential "${User}:$Password"
        $script:Credential = [pscredential]::new($User, (ConvertTo-SecureString $Password -AsPlainText -Force))
        $script:Proxy = Start-FaultProxy -Upstream $EngineUri
        $script:ProxyUri = "tcp://$($Proxy.Address)"
        # Podman keeps registry credentials per registry in its auth file only when told; nothing to clean there.
    }
    AfterAll {
        Stop-FaultProxy $Proxy
        Remove-EngineTestArtifact -EngineUri $EngineUri -RunId $Run -RepositoryPrefix "$($AuthRegistry.Address)/secret-$Run"
        $AuthRegistry.Stop()
    }

    It 'creates from a private image with -Credential (the pull needs it), and without it fails with RegistryAuthenticationFailed' {
        $repo = "$($AuthRegistry.Address)/secret-$Run/cred-$($Engine.ToLowerInvariant())"
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "${repo}:v1" -DestinationCredential "${User}:$Password"
        $digest = Get-SkopeoDigest "${repo}:v1" -Credential "${User}:$Password"
        New-PinnedContainer "${repo}:v1" -Label @{ 'dt-test' = $Run } -Network none -EngineUri $EngineUri -ErrorVariable refused -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -Be 'RegistryAuthenticationFailed,DigestTools.NewPinnedContainerCommand'
        $c = New-PinnedContainer "${repo}:v1" -Credential $Credential -Label @{ 'dt-test' = $Run } -Network none -EngineUri $EngineUri
        $c.Digest | Should -Be $digest
        (Get-Inspect $EngineUri $c.Id).Config.Image | Should -Be "$repo@$digest"
    }

    It 'never shows the password, user:password (raw or base64) or the X-Registry-Auth value (raw JSON or base64) in any stream, $Error or exception' {
        $wrong = [pscredential]::new($User, (ConvertTo-SecureString "$Password-wrong" -AsPlainText -Force))
        $captured = [System.Collections.Generic.List[string]]::new()
        $Error.Clear()
        $runs = @(
            { Invoke-ImagePull "${Private}:v1" -Credential $Credential -EngineUri $ProxyUri -Verbose -Debug }
            { Invoke-ImagePull "${Private}:v1" -Credential $wrong -EngineUri $ProxyUri -Verbose -Debug -ErrorAction Continue }
            { New-PinnedContainer "${Private}:v1" -PullPolicy Always -Credential $Credential -Label @{ 'dt-test' = $Run } -Network none -EngineUri $ProxyUri -Verbose -Debug }
            { New-PinnedContainer "${Private}:v1" -PullPolicy Always -Credential $wrong -Label @{ 'dt-test' = $Run } -Network none -EngineUri $ProxyUri -Verbose -Debug -ErrorAction Continue }
        )
        foreach ($call in $runs) {
            $records = & { & $call } *>&1
            foreach ($text in $records | Get-RecordText) { $captured.Add($text) }
        }
        foreach ($text in $Error | Get-RecordText) { $captured.Add($text) }
        $text = $captured -join "`n"
        # The capture holds the story: a successful pull by the user, and the refusal of the wrong password.
        $text | Should -Match ([regex]::Escape($Private))
        $text | Should -Match 'RegistryAuthenticationFailed'
        @($captured | Where-Object { $_ -match 'PinnedContainer' }).Count | Should -BeGreaterThan 0

        # The exact X-Registry-Auth values sent (proven by the proxy's SHA-256 of what it saw), and their JSON.
        $sha = [System.Security.Cryptography.SHA256]::Create()
        $headers = foreach ($secret in $Password, "$Password-wrong") {
            $json = '{"username":"' + $User + '","password":"' + $secret + '","serveraddress":"' + $AuthRegistry.Address + '"}'
            $base64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($json))
            [pscustomobject]@{ Json = $json; Header = $base64.Replace('+', '-').Replace('/', '_'); Base64 = $base64
                Sha = -join ($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($base64.Replace('+', '-').Replace('/', '_'))) | ForEach-Object { $_.ToString('x2') }) }
        }
        $sent = @(Get-ProxyRequest $Proxy -Path '/images/create' | ForEach-Object registryAuthSha256 | Sort-Object -Unique)
        $sent | Should -Be @($headers.Sha | Sort-Object)
        $secrets = @($Password, "${User}:$Password", [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("${User}:$Password"))) +
            @($headers | ForEach-Object { $_.Json; $_.Header; $_.Base64 })
        foreach ($secret in $secrets) {
            $text.Contains($secret) | Should -BeFalse -Because "no secret may appear in any stream ($($secret.Length) characters)"
        }
    }
}
