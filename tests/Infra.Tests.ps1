# Checks that the shared test environment is what its JSON says, with tools independent of DigestTools.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'infra/TestEnvironment.psm1') -Force
    $script:Environment = Get-TestEnvironment
}

Describe 'Test environment fixtures' -Tag Infra {
    It '<Name> has the digest skopeo reports for its reference' -ForEach @(
        @{ Name = 'Oci' }, @{ Name = 'Docker' }, @{ Name = 'OciAlt' }, @{ Name = 'OciIndex' }, @{ Name = 'DockerList' }
    ) {
        $fixture = $Environment.Fixtures.$Name
        $fixture.Reference | Should -BeLike "$($Environment.Registry)/*"
        Get-SkopeoDigest $fixture.Reference | Should -Be $fixture.Digest
    }

    It 'covers the four manifest media types' {
        $f = $Environment.Fixtures
        $f.Oci.MediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
        $f.Docker.MediaType | Should -Be 'application/vnd.docker.distribution.manifest.v2+json'
        $f.OciIndex.MediaType | Should -Be 'application/vnd.oci.image.index.v1+json'
        $f.DockerList.MediaType | Should -Be 'application/vnd.docker.distribution.manifest.list.v2+json'
        # The media type recorded is the one the registry actually serves.
        foreach ($name in 'Oci', 'Docker', 'OciIndex', 'DockerList') {
            (Get-SkopeoManifest $f.$name.Reference).MediaType | Should -Be $f.$name.MediaType
        }
    }

    It 'OciAlt is a different image from Oci (for moving tags)' {
        $Environment.Fixtures.OciAlt.Digest | Should -Not -Be $Environment.Fixtures.Oci.Digest
        $Environment.Fixtures.OciAlt.ConfigDigest | Should -Not -Be $Environment.Fixtures.Oci.ConfigDigest
    }

    It '<Name> lists amd64 and arm64/v8 children that resolve in the registry' -ForEach @(@{ Name = 'OciIndex' }, @{ Name = 'DockerList' }) {
        $fixture = $Environment.Fixtures.$Name
        @($fixture.Platforms.PSObject.Properties.Name) | Should -Be @('linux/amd64', 'linux/arm64/v8')
        $repository = $fixture.Reference.Substring(0, $fixture.Reference.LastIndexOf(':'))
        foreach ($platform in 'linux/amd64', 'linux/arm64/v8') {
            $child = $fixture.Platforms.$platform
            Get-SkopeoDigest "$repository@$child" | Should -Be $child
        }
        $arm = (Get-SkopeoManifest "$repository@$($fixture.Platforms.'linux/arm64/v8')").Raw | ConvertFrom-Json
        $config = Invoke-RestMethod "http://$($Environment.Registry)/v2/$($repository.Substring($repository.IndexOf('/') + 1))/blobs/$($arm.config.digest)"
        $config.architecture | Should -Be 'arm64'
        $config.variant | Should -Be 'v8'
    }

    It 'the OCI index carries a buildx-style attestation entry' {
        $index = (Get-SkopeoManifest $Environment.Fixtures.OciIndex.Reference).Raw | ConvertFrom-Json
        $attestation = @($index.manifests | Where-Object { $_.platform.os -eq 'unknown' })
        $attestation.Count | Should -Be 1
        $attestation[0].platform.architecture | Should -Be 'unknown'
        $attestation[0].annotations.'vnd.docker.reference.type' | Should -Be 'attestation-manifest'
        $attestation[0].annotations.'vnd.docker.reference.digest' | Should -Be $Environment.Fixtures.OciIndex.Platforms.'linux/amd64'
        $attestation[0].digest | Should -Be $Environment.Fixtures.OciIndex.Attestation
    }
}

Describe 'Test environment engines' -Tag Infra {
    It '<Name> answers /_ping on its unix socket' -ForEach @(@{ Name = 'DockerHost' }, @{ Name = 'PodmanHost' }) {
        $socket = $Environment.$Name -replace '^unix://', ''
        $client = [System.Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified')
        try {
            $client.Connect([System.Net.Sockets.UnixDomainSocketEndPoint]::new($socket))
            [void]$client.Send([Text.Encoding]::ASCII.GetBytes("GET /_ping HTTP/1.0`r`nHost: engine`r`n`r`n"))
            $buffer = [byte[]]::new(1024)
            $answer = [Text.Encoding]::ASCII.GetString($buffer, 0, $client.Receive($buffer))
        }
        finally { $client.Dispose() }
        $answer | Should -Match '^HTTP/1\.[01] 200'
        $answer | Should -Match '(?m)^OK|\r\n\r\nOK'
    }

    It 'dockerd is the 20.10 engine (API 1.41)' {
        $env:DOCKER_HOST = $Environment.DockerHost
        try { docker version --format '{{.Server.APIVersion}}' | Should -Be '1.41' } finally { Remove-Item Env:DOCKER_HOST }
    }
}

Describe 'Extra registries' -Tag Infra {
    It 'Start-TestRegistry with htpasswd auth refuses anonymous access and accepts the user' {
        $dir = Join-Path $Environment.StateDir "infra-auth-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        New-Item -ItemType Directory -Path $dir | Out-Null
        $htpasswd = Join-Path $dir 'htpasswd'
        htpasswd -Bbn tester 's3cret!' | Set-Content $htpasswd
        $registry = Start-TestRegistry -Name auth -Directory $dir -AuthConfig @{ htpasswd = @{ realm = 'basic-realm'; path = $htpasswd } }
        try {
            $anonymous = Invoke-WebRequest "http://$($registry.Address)/v2/" -SkipHttpErrorCheck
            $anonymous.StatusCode | Should -Be 401
            $anonymous.Headers['Www-Authenticate'] | Should -Match 'Basic realm="basic-realm"'
            $target = "$($registry.Address)/copied/busybox:oci"
            Copy-TestImage -Source $Environment.Fixtures.Oci.Reference -Destination $target -DestinationCredential 'tester:s3cret!'
            Get-SkopeoDigest $target -Credential 'tester:s3cret!' | Should -Be $Environment.Fixtures.Oci.Digest
        }
        finally { Stop-TestRegistry $registry }
        Test-Path "/proc/$($registry.Pid)" | Should -BeFalse
    }
}

Describe 'Fault proxy' -Tag Infra {
    BeforeAll {
        $script:Proxy = Start-FaultProxy -Upstream $Environment.Registry
        $script:ManifestAccept = 'application/vnd.oci.image.manifest.v1+json'
        $script:ManifestUrl = "$($Proxy.Url)/v2/fixtures/busybox/manifests/oci"
        function Get-Sha256([byte[]] $Bytes) { 'sha256:' + [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($Bytes)).ToLowerInvariant() }
    }
    AfterAll { Stop-FaultProxy $Proxy }
    BeforeEach { Clear-FaultRule $Proxy; Clear-ProxyRequest $Proxy }

    It 'passes a manifest through unchanged when no rule matches' {
        $r = Invoke-WebRequest $ManifestUrl -Headers @{ Accept = $ManifestAccept }
        "$($r.Headers['Docker-Content-Digest'])" | Should -Be $Environment.Fixtures.Oci.Digest
        Get-Sha256 $r.RawContentStream.ToArray() | Should -Be $Environment.Fixtures.Oci.Digest
    }

    It 'drops Docker-Content-Digest for the next matching request only' {
        Set-FaultRule $Proxy -Path '/manifests/' -Action drop-header -Header Docker-Content-Digest -Times 1 | Out-Null
        (Invoke-WebRequest $ManifestUrl -Headers @{ Accept = $ManifestAccept }).Headers.ContainsKey('Docker-Content-Digest') | Should -BeFalse
        "$((Invoke-WebRequest $ManifestUrl -Headers @{ Accept = $ManifestAccept }).Headers['Docker-Content-Digest'])" | Should -Be $Environment.Fixtures.Oci.Digest
    }

    It 'alters the body (<Alter>) while the digest header stays' -ForEach @(@{ Alter = 'flip-byte' }, @{ Alter = 'append-whitespace' }) {
        Set-FaultRule $Proxy -Path '/manifests/' -Action alter-body -Alter $Alter | Out-Null
        $r = Invoke-WebRequest $ManifestUrl -Headers @{ Accept = $ManifestAccept }
        "$($r.Headers['Docker-Content-Digest'])" | Should -Be $Environment.Fixtures.Oci.Digest
        Get-Sha256 $r.RawContentStream.ToArray() | Should -Not -Be $Environment.Fixtures.Oci.Digest
    }

    It 'forwards HEAD with the upstream Content-Length and digest, and faults apply to HEAD too' {
        $head = Invoke-WebRequest $ManifestUrl -Method Head -Headers @{ Accept = $ManifestAccept }
        "$($head.Headers['Docker-Content-Digest'])" | Should -Be $Environment.Fixtures.Oci.Digest
        $direct = Invoke-WebRequest "http://$($Environment.Registry)/v2/fixtures/busybox/manifests/oci" -Method Head -Headers @{ Accept = $ManifestAccept }
        "$($head.Headers['Content-Length'])" | Should -Be "$($direct.Headers['Content-Length'])"
        Set-FaultRule $Proxy -Method HEAD -Path '/manifests/' -Action drop-header -Header Docker-Content-Digest | Out-Null
        (Invoke-WebRequest $ManifestUrl -Method Head -Headers @{ Accept = $ManifestAccept }).Headers.ContainsKey('Docker-Content-Digest') | Should -BeFalse
        # The rule names HEAD: a GET still carries the header.
        "$((Invoke-WebRequest $ManifestUrl -Headers @{ Accept = $ManifestAccept }).Headers['Docker-Content-Digest'])" | Should -Be $Environment.Fixtures.Oci.Digest
    }

    It 'records which rules applied to a request (delay)' {
        $rule = Set-FaultRule $Proxy -Path '/manifests/oci$' -Action delay -DelayMs 50 -Times 1
        (Invoke-WebRequest $ManifestUrl -Headers @{ Accept = $ManifestAccept }).StatusCode | Should -Be 200
        Invoke-WebRequest $ManifestUrl -Headers @{ Accept = $ManifestAccept } | Out-Null
        $log = @(Get-ProxyRequest $Proxy -Path '/manifests/oci')
        $log.Count | Should -Be 2
        @($log[0].appliedRules) | Should -Be @($rule.id)
        @($log[1].appliedRules).Count | Should -Be 0
        (Get-FaultRule $Proxy | Where-Object id -EQ $rule.id).remaining | Should -Be 0
    }

    It 'answers the configured status with Retry-After for K requests, then forwards again' {
        Set-FaultRule $Proxy -Path '/manifests/' -Action status -Status 503 -RetryAfter 1 -Times 2 | Out-Null
        $codes = 1..3 | ForEach-Object { (Invoke-WebRequest $ManifestUrl -Headers @{ Accept = $ManifestAccept } -SkipHttpErrorCheck) }
        $codes[0].StatusCode | Should -Be 503
        "$($codes[0].Headers['Retry-After'])" | Should -Be '1'
        $codes[1].StatusCode | Should -Be 503
        $codes[2].StatusCode | Should -Be 200
    }

    It 'drops the connection in the middle of a body' {
        $blob = "$($Proxy.Url)/v2/fixtures/busybox/blobs/$($Environment.Fixtures.Oci.ConfigDigest)"
        Set-FaultRule $Proxy -Path '/blobs/' -Action drop-connection -Bytes 10 -Times 1 | Out-Null
        { Invoke-WebRequest $blob } | Should -Throw '*prematurely*'
        (Invoke-WebRequest $blob).StatusCode | Should -Be 200
    }

    It 'redirects to another host, and the echo server records what it got' {
        $echo = Start-EchoServer
        try {
            Set-FaultRule $Proxy -Path '/blobs/' -Action redirect -Location "$($echo.Url)/elsewhere/{path}" | Out-Null
            # A client that does not follow redirects, to see the 307 itself.
            $client = [System.Net.Http.HttpClient]::new([System.Net.Http.HttpClientHandler]@{ AllowAutoRedirect = $false })
            try { $r = $client.GetAsync("$($Proxy.Url)/v2/fixtures/busybox/blobs/sha256:abc").GetAwaiter().GetResult() } finally { $client.Dispose() }
            [int]$r.StatusCode | Should -Be 307
            "$($r.Headers.Location)" | Should -Be "$($echo.Url)/elsewhere/v2/fixtures/busybox/blobs/sha256:abc"
            (Invoke-WebRequest "$($r.Headers.Location)").StatusCode | Should -Be 200
            @(Get-ProxyRequest $echo).path | Should -Be '/elsewhere/v2/fixtures/busybox/blobs/sha256:abc'
        }
        finally { Stop-FaultProxy $echo }
    }

    It 'logs whether Authorization was sent, never its value' {
        Invoke-WebRequest $ManifestUrl -Headers @{ Accept = $ManifestAccept; Authorization = 'Bearer very-secret-token' } | Out-Null
        $log = @(Get-ProxyRequest $Proxy -Path '/manifests/oci')
        $log.Count | Should -Be 1
        $log[0].hasAuthorization | Should -BeTrue
        $log[0].authorizationScheme | Should -Be 'Bearer'
        $log[0].accept | Should -Be $ManifestAccept
        (Invoke-WebRequest "$($Proxy.ControlUrl)/requests").Content | Should -Not -Match 'very-secret-token'
    }

    It 'lets skopeo copy a whole OCI index through it, keeping repeated Accept headers' {
        $target = "$($Proxy.Address)/infra/through-proxy:index"
        Copy-TestImage -Source "$($Proxy.Address)/fixtures/multi:oci-index" -Destination $target -All -PreserveDigests -PassThru |
            Should -Be $Environment.Fixtures.OciIndex.Digest
        Get-SkopeoDigest "$($Environment.Registry)/infra/through-proxy:index" | Should -Be $Environment.Fixtures.OciIndex.Digest
    }

    It 'refuses an invalid rule' {
        { Set-FaultRule $Proxy -Path '(' -Action status -Status 500 } | Should -Throw '*refused*'
        { Set-FaultRule $Proxy -Path '.' -Action drop-header } | Should -Throw '*refused*'
    }
}
