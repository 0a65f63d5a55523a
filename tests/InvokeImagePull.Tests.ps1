# Invoke-ImagePull against real dockerd 20.10 and Podman 4.3 (Docker-compatible API), with the registry fixtures
# copied into repositories unique to this run, so every pull really transfers and nothing leaks between runs.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'EngineTestSupport.psm1')
    $engines = Get-EngineTestCase
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'EngineTestSetup.ps1') -Purpose engine-pull
    # busybox (cmd: echo hello) as OCI manifest, a second image, and a Docker manifest list (amd64 + arm64/v8).
    Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "$Prefix/busybox:v1"
    Copy-TestImage -Source $TestEnv.Fixtures.OciAlt.Reference -Destination "$Prefix/busybox:alt"
    Copy-TestImage -Source $TestEnv.Fixtures.DockerList.Reference -Destination "$Prefix/multi:list" -All
    $script:V1Digest = Get-SkopeoDigest "$Prefix/busybox:v1"
    $script:AltDigest = Get-SkopeoDigest "$Prefix/busybox:alt"
    $script:ListDigest = Get-SkopeoDigest "$Prefix/multi:list"
}

Describe 'Invoke-ImagePull on <Engine>' -Tag Engine -ForEach $engines {
    AfterAll {
        Remove-EngineTestArtifact -EngineUri $EngineUri -RunId $Run -RepositoryPrefix $Prefix
    }

    It 'pulls by tag and reports the digest the registry serves, proven by RepoDigests' {
        $result = Invoke-ImagePull "$Prefix/busybox:v1" -EngineUri $EngineUri
        $result | Should -BeOfType DigestTools.PulledImage
        $result.Digest | Should -Be $V1Digest
        $result.PinnedReference | Should -Be "$Prefix/busybox@$V1Digest"
        $result.RepoDigests | Should -Contain "$Prefix/busybox@$V1Digest"
        $result.ImageId | Should -Be (Invoke-DockerCli $EngineUri image inspect --format '{{.Id}}' "$Prefix/busybox:v1")
        $result.Platform | Should -Be 'linux/amd64'
    }

    It 'pulls by digest without applying any tag' {
        $result = Invoke-ImagePull "$Prefix/busybox@$AltDigest" -EngineUri $EngineUri
        $result.Digest | Should -Be $AltDigest
        $result.Tag | Should -BeNullOrEmpty
        (Invoke-DockerCli $EngineUri image inspect --format '{{json .RepoDigests}}' "$Prefix/busybox@$AltDigest") | Should -Match ([regex]::Escape($AltDigest))
        Test-ImageExists $EngineUri "$Prefix/busybox:alt" | Should -BeFalse
    }

    It 'pulls name:tag@digest by the digest (the tag names another image)' {
        $result = Invoke-ImagePull "$Prefix/busybox:v1@$AltDigest" -EngineUri $EngineUri
        $result.Digest | Should -Be $AltDigest
        $result.ImageId | Should -Be (Invoke-DockerCli $EngineUri image inspect --format '{{.Id}}' "$Prefix/busybox@$AltDigest")
    }

    It 'binds Get-ImageDigest-shaped input by property name: PinnedReference wins over Reference' {
        $resolved = [pscustomobject]@{ Reference = "$Prefix/busybox:v1"; PinnedReference = "$Prefix/busybox@$AltDigest" }
        $result = $resolved | Invoke-ImagePull -EngineUri $EngineUri
        $result.Digest | Should -Be $AltDigest
    }

    It 'pulls one platform of a manifest list with -Platform' {
        $result = Invoke-ImagePull "$Prefix/multi@$ListDigest" -Platform linux/arm64/v8 -EngineUri $EngineUri
        $result.Digest | Should -Be $ListDigest
        $result.Platform | Should -BeLike 'linux/arm64*'
        Invoke-DockerCli $EngineUri image inspect --format '{{.Architecture}}' $result.ImageId | Should -Be 'arm64'
    }

    It 'reports an unknown image as ManifestUnknown and goes on with the next input' {
        $out = "$Prefix/nothere:v1", "$Prefix/busybox:v1" | Invoke-ImagePull -EngineUri $EngineUri -ErrorVariable failures -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 1
        $out.Digest | Should -Be $V1Digest
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ManifestUnknown,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'fails on an error inside the pull stream (a registry that refuses connections)' {
        # Podman answers HTTP 200 and reports this inside the JSON stream; Docker answers 500.
        $closed = "127.0.0.1:$(Get-FreeTcpPort)"
        Invoke-ImagePull "$closed/nobody/home:v1" -EngineUri $EngineUri -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'PullFailed,*'
    }

    It 'reports progress per layer under one bar for the image' {
        # The progress stream cannot be redirected; a nested PowerShell collects it.
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                param($Module, $Reference, $EngineUri)
                Import-Module $Module
                Invoke-ImagePull $Reference -EngineUri $EngineUri
            }).AddArgument($env:DIGESTTOOLS_MODULE).AddArgument("$Prefix/busybox@$AltDigest").AddArgument($EngineUri)
            # A digest not pulled yet in this engine by this run's other tests: remove it first so layers are reported.
            & docker -H $EngineUri rmi "$Prefix/busybox@$AltDigest" *> $null
            $result = $shell.Invoke()
            $shell.Streams.Error | Should -BeNullOrEmpty
            $result.Digest | Should -Be $AltDigest
            $records = @($shell.Streams.Progress)
            $parent = $records | Where-Object { $_.ParentActivityId -eq -1 -and $_.Activity -like 'Pulling *' } | Select-Object -First 1
            $parent | Should -Not -BeNullOrEmpty
            $layers = $records | Where-Object { $_.ParentActivityId -eq $parent.ActivityId -and $_.Activity -like 'Layer *' }
            $layers | Should -Not -BeNullOrEmpty
            $records | Where-Object RecordType -eq 'Completed' | Should -Not -BeNullOrEmpty
        }
        finally { $shell.Dispose() }
    }

    It 'pulls nothing under -WhatIf' {
        Invoke-ImagePull "$Prefix/busybox:alt" -EngineUri $EngineUri -WhatIf | Should -BeNullOrEmpty
        Test-ImageExists $EngineUri "$Prefix/busybox:alt" | Should -BeFalse
    }

    It 'rejects an invalid reference with InvalidReference' {
        Invoke-ImagePull 'busybox@sha256:1234' -EngineUri $EngineUri -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidReference,*'
    }
}

Describe 'Invoke-ImagePull from a registry with basic authentication' -Tag Engine, Auth {
    BeforeAll {
        $htpasswd = Join-Path $TestEnv.StateDir "htpasswd-$Run"
        & htpasswd -Bbc $htpasswd puller 'S3cret-pass' 2>$null
        $script:AuthRegistry = Start-TestRegistry -AuthConfig @{ htpasswd = @{ realm = 'basic-realm'; path = $htpasswd } }
        $script:Private = "$($AuthRegistry.Address)/private-$Run/busybox:v1"
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination $Private -DestinationCredential 'puller:S3cret-pass'
        $script:Credential = [pscredential]::new('puller', (ConvertTo-SecureString 'S3cret-pass' -AsPlainText -Force))
    }
    AfterAll {
        Remove-EngineTestArtifact -EngineUri $TestEnv.DockerHost -RunId $Run -RepositoryPrefix "$($AuthRegistry.Address)/private-$Run"
        $AuthRegistry.Stop()
    }

    It 'fails without credentials with RegistryAuthenticationFailed' {
        Invoke-ImagePull $Private -EngineUri $TestEnv.DockerHost -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RegistryAuthenticationFailed,*'
    }

    It 'pulls with the credential of the Docker config (auths) when no -Credential is given' {
        $configDir = Join-Path $TestEnv.StateDir "docker-config-$Run"
        New-Item -ItemType Directory -Force -Path $configDir | Out-Null
        $auth = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('puller:S3cret-pass'))
        @{ auths = @{ $AuthRegistry.Address = @{ auth = $auth } } } | ConvertTo-Json -Depth 4 | Set-Content (Join-Path $configDir 'config.json')
        $saved = $env:DOCKER_CONFIG
        try {
            $env:DOCKER_CONFIG = $configDir
            $pulled = Invoke-ImagePull $Private -EngineUri $TestEnv.DockerHost
            $pulled.Digest | Should -Be (Get-SkopeoDigest $Private -Credential 'puller:S3cret-pass')
        }
        finally {
            $env:DOCKER_CONFIG = $saved
            Remove-Item -Recurse -Force $configDir
            & docker -H $TestEnv.DockerHost rmi $Private "$($Private -replace ':v1$', '')@$($pulled.Digest)" *> $null
        }
    }

    It 'pulls with -Credential sent as X-Registry-Auth, and never shows the password' {
        $result = Invoke-ImagePull $Private -Credential $Credential -EngineUri $TestEnv.DockerHost -Verbose 4>&1
        $pulled = $result | Where-Object { $_ -is [DigestTools.PulledImage] }
        $pulled.Digest | Should -Be (Get-SkopeoDigest $Private -Credential 'puller:S3cret-pass')
        ($result | Out-String) | Should -Not -Match 'S3cret-pass'
    }
}

Describe 'Invoke-ImagePull with no engine' -Tag Engine {
    It 'stops with EngineUnreachable naming the address tried' {
        $address = "unix://$($TestEnv.StateDir)/no-engine-$Run.sock"
        { Invoke-ImagePull busybox:latest -EngineUri $address -ErrorAction Stop } |
            Should -Throw -ErrorId 'EngineUnreachable,*' -ExpectedMessage "*$address*"
    }

    It 'says a missing unix socket is missing, and names the endpoint as TargetObject' {
        $path = "$($TestEnv.StateDir)/no-engine-$Run.sock"
        $failure = $null
        try { Invoke-ImagePull busybox:latest -EngineUri "unix://$path" -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'EngineUnreachable,*'
        $failure.Exception.Message | Should -BeLike "*no engine socket at $path.*"
        $failure.Exception.Message | Should -Not -Match 'Cannot assign requested address'
        $failure.TargetObject | Should -Be "unix://$path"
    }
}

Describe 'Engine connection over tcp:// with TLS (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH)' -Tag Engine {
    BeforeAll {
        # A private dockerd that only speaks mutual TLS on a loopback port, with certificates made here.
        $script:TlsDir = Join-Path $TestEnv.StateDir "tls-$Run"
        New-Item -ItemType Directory -Force -Path "$TlsDir/client", "$TlsDir/other", "$TlsDir/daemon" | Out-Null
        function Invoke-OpenSsl { & openssl @args 2>$null; if ($LASTEXITCODE) { throw "openssl $args failed" } }
        Set-Content "$TlsDir/server.ext" "subjectAltName=IP:127.0.0.1`nextendedKeyUsage=serverAuth"
        Set-Content "$TlsDir/client.ext" 'extendedKeyUsage=clientAuth'
        foreach ($ca in 'ca', 'other-ca') {
            Invoke-OpenSsl req -x509 -newkey rsa:2048 -nodes -keyout "$TlsDir/$ca-key.pem" -out "$TlsDir/$ca.pem" -days 1 -subj "/CN=$ca-$Run"
        }
        Invoke-OpenSsl req -newkey rsa:2048 -nodes -keyout "$TlsDir/server-key.pem" -out "$TlsDir/server.csr" -subj '/CN=127.0.0.1'
        Invoke-OpenSsl x509 -req -in "$TlsDir/server.csr" -CA "$TlsDir/ca.pem" -CAkey "$TlsDir/ca-key.pem" -CAcreateserial -out "$TlsDir/server-cert.pem" -days 1 -extfile "$TlsDir/server.ext"
        Invoke-OpenSsl req -newkey rsa:2048 -nodes -keyout "$TlsDir/client/key.pem" -out "$TlsDir/client.csr" -subj '/CN=client'
        Invoke-OpenSsl x509 -req -in "$TlsDir/client.csr" -CA "$TlsDir/ca.pem" -CAkey "$TlsDir/ca-key.pem" -CAcreateserial -out "$TlsDir/client/cert.pem" -days 1 -extfile "$TlsDir/client.ext"
        Copy-Item "$TlsDir/ca.pem" "$TlsDir/client/ca.pem"
        # Same client certificate, but trusting a CA that did not sign the daemon's certificate.
        Copy-Item "$TlsDir/client/cert.pem", "$TlsDir/client/key.pem" "$TlsDir/other/"
        Copy-Item "$TlsDir/other-ca.pem" "$TlsDir/other/ca.pem"

        $script:TlsPort = Get-FreeTcpPort
        $daemon = "$TlsDir/daemon"
        $arguments = @('--iptables=false', '--ip6tables=false', '--bridge=none', '--storage-driver=vfs',
            '--data-root', "$daemon/data", '--exec-root', "$daemon/exec", '--pidfile', "$daemon/dockerd.pid",
            '--tlsverify', '--tlscacert', "$TlsDir/ca.pem", '--tlscert', "$TlsDir/server-cert.pem", '--tlskey', "$TlsDir/server-key.pem",
            '-H', "tcp://127.0.0.1:$TlsPort")
        $script:TlsDaemon = Start-Process dockerd -ArgumentList $arguments -PassThru -RedirectStandardOutput "$daemon/out.log" -RedirectStandardError "$daemon/err.log"
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        do {
            Start-Sleep -Milliseconds 200
            & docker -H "tcp://127.0.0.1:$TlsPort" --tlsverify --tlscacert "$TlsDir/ca.pem" --tlscert "$TlsDir/client/cert.pem" --tlskey "$TlsDir/client/key.pem" version *> $null
        } until ($LASTEXITCODE -eq 0 -or [DateTime]::UtcNow -gt $deadline -or $TlsDaemon.HasExited)
        if ($LASTEXITCODE -ne 0) { throw "TLS dockerd did not start: $(Get-Content -Raw "$daemon/err.log")" }

        $script:SavedEnvironment = @{ DOCKER_HOST = $env:DOCKER_HOST; DOCKER_TLS_VERIFY = $env:DOCKER_TLS_VERIFY; DOCKER_CERT_PATH = $env:DOCKER_CERT_PATH }
    }
    AfterAll {
        foreach ($name in $SavedEnvironment.Keys) { Set-Item "env:$name" $SavedEnvironment[$name] }
        if ($TlsDaemon -and -not $TlsDaemon.HasExited) {
            Stop-Process -Id $TlsDaemon.Id
            $TlsDaemon.WaitForExit(20000) | Out-Null
        }
        & umount "$TlsDir/daemon/exec/netns/default" *> $null   # dockerd leaves this mount behind
        Remove-Item -Recurse -Force $TlsDir -ErrorAction SilentlyContinue
    }

    It 'connects with the client certificate and checks the daemon against ca.pem, then pulls over it' {
        $env:DOCKER_HOST = "tcp://127.0.0.1:$TlsPort"; $env:DOCKER_TLS_VERIFY = '1'; $env:DOCKER_CERT_PATH = "$TlsDir/client"
        $pulled = Invoke-ImagePull "$Prefix/busybox@$V1Digest"
        $pulled.Engine | Should -Be "tcp://127.0.0.1:$TlsPort"
        $pulled.Digest | Should -Be $V1Digest
        (Get-ImageDigest -Local -All).PinnedReference | Should -Contain "$Prefix/busybox@$V1Digest"
    }

    It 'refuses a daemon whose certificate another CA signed: EngineUnreachable' {
        $env:DOCKER_HOST = "tcp://127.0.0.1:$TlsPort"; $env:DOCKER_TLS_VERIFY = '1'; $env:DOCKER_CERT_PATH = "$TlsDir/other"
        { Get-ImageDigest -Local -ErrorAction Stop } | Should -Throw -ErrorId 'EngineUnreachable,*' -ExpectedMessage "*127.0.0.1:$TlsPort*certificate*"
    }

    It 'fails to talk plain http to the TLS port: NotAContainerEngine, quoting the daemon''s hint' {
        $env:DOCKER_TLS_VERIFY = $null; $env:DOCKER_CERT_PATH = $null
        { Get-ImageDigest -Local -EngineUri "tcp://127.0.0.1:$TlsPort" -ErrorAction Stop } |
            Should -Throw -ErrorId 'NotAContainerEngine,DigestTools.GetImageDigestCommand' -ExpectedMessage "*tcp://127.0.0.1:$TlsPort*answered HTTP 400 (Client sent an HTTP request to an HTTPS server.)*"
    }
}
