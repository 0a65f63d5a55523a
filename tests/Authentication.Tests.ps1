# Registry authentication and resilience through Get-ImageDigest against real registries on loopback:
# htpasswd (bcrypt) and token auth with the test token server (RS256 JWT); the fault proxy of
# tests/DigestTools.TestServers in front of them for retries, timeouts and redirects. Credential sources in
# Docker's order, the failures with their ErrorIds, token reuse, and a search of every stream for secrets.

BeforeAll {
    Import-Module $env:DIGESTTOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'infra/TestEnvironment.psm1')
    Import-Module (Join-Path $PSScriptRoot 'EngineTestSupport.psm1')

    function Get-ErrorId([System.Management.Automation.ErrorRecord] $Record) { ($Record.FullyQualifiedErrorId -split ',')[0] }

    function New-TestCredential([string] $User, [string] $Secret) {
        [pscredential]::new($User, (ConvertTo-SecureString $Secret -AsPlainText -Force))
    }

    function Set-DockerConfig([string] $Json) {
        # A fresh DOCKER_CONFIG folder per test: the store reads it when a cmdlet starts.
        $folder = Join-Path $script:State ('docker-config-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $folder | Out-Null
        Set-Content -Path (Join-Path $folder 'config.json') -Value $Json
        $env:DOCKER_CONFIG = $folder
    }

    function ConvertTo-Base64([string] $Text) { [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Text)) }

    $script:Environment = Get-TestEnvironment
    $script:Fixture = $Environment.Fixtures.Oci
    $script:State = Join-Path ([IO.Path]::GetTempPath()) ('dt-auth-pester-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $State | Out-Null
    $script:SavedDockerConfig = $env:DOCKER_CONFIG
    $script:SavedPath = $env:PATH

    # Random per run: the secrets test searches every stream for them.
    $script:Password = 'pw-' + [guid]::NewGuid().ToString('N')
    $script:BobPassword = 'pw-' + [guid]::NewGuid().ToString('N')
    $script:Alice = New-TestCredential 'alice' $Password
    $script:Bob = New-TestCredential 'bob' $BobPassword

    $htpasswd = Join-Path $State 'htpasswd'
    @((& htpasswd -Bbn alice $Password), (& htpasswd -Bbn bob $BobPassword)) | Where-Object { $_ } | Set-Content -Path $htpasswd
    $script:Basic = Start-TestRegistry -Name 'auth-basic' -Directory (Join-Path $State 'basic') -AuthConfig @{ htpasswd = [ordered]@{ realm = 'basic-realm'; path = $htpasswd } }

    Import-TestServers
    $script:Tokens = [DigestTools.TestServers.TokenServer]::new((Join-Path $State 'token'))
    $Tokens.AddUser('alice', $Password)
    $Tokens.AddUser('bob', $BobPassword, [string[]]@('auth/other'))
    $script:TokenRegistry = Start-TestRegistry -Name 'auth-token' -Directory (Join-Path $State 'token-registry') -AuthConfig @{
        token = [ordered]@{ realm = $Tokens.Realm; service = $Tokens.Service; issuer = $Tokens.Issuer; rootcertbundle = $Tokens.CertificateBundlePath }
    }

    $aliceCreds = "alice:$Password"
    $script:Digest = Copy-TestImage -Source $Fixture.Reference -Destination "$($Basic.Address)/auth/busybox:v1" -DestinationCredential $aliceCreds -PreserveDigests -PassThru
    $null = Copy-TestImage -Source $Fixture.Reference -Destination "$($TokenRegistry.Address)/auth/busybox:v1" -DestinationCredential $aliceCreds -PreserveDigests
    $null = Copy-TestImage -Source $Fixture.Reference -Destination "$($TokenRegistry.Address)/auth/other:v1" -DestinationCredential $aliceCreds -PreserveDigests
    $script:BasicRef = "$($Basic.Address)/auth/busybox:v1"
    $script:TokenRef = "$($TokenRegistry.Address)/auth/busybox:v1"
    $script:OtherRef = "$($TokenRegistry.Address)/auth/other:v1"

    # A credential helper speaking the real protocol, on PATH for this (child) session only.
    $bin = Join-Path $State 'bin'
    New-Item -ItemType Directory -Path $bin | Out-Null
    $script:HelperCalls = Join-Path $State 'helper-calls.txt'
    $helper = Join-Path $bin 'docker-credential-dttest'
    Set-Content -Path $helper -Value @"
#!/bin/sh
IFS= read -r url
echo "`$1 `$url" >> '$HelperCalls'
case "`$url" in
  '$($Basic.Address)') printf '{"ServerURL":"%s","Username":"alice","Secret":"$Password"}' "`$url" ;;
  *) echo 'credentials not found in native keychain'; exit 1 ;;
esac
"@
    & chmod +x $helper
    $env:PATH = $bin + [IO.Path]::PathSeparator + $env:PATH
}

AfterAll {
    $env:DOCKER_CONFIG = $SavedDockerConfig
    $env:PATH = $SavedPath
    if ($TokenRegistry) { $TokenRegistry.Stop() }
    if ($Basic) { $Basic.Stop() }
    if ($Tokens) { $Tokens.Dispose() }
    Remove-Item -Recurse -Force $State -ErrorAction SilentlyContinue
}

Describe 'Registry credentials (htpasswd registry)' -Tag Auth {
    BeforeEach { Set-DockerConfig '{}' }

    It 'resolves with -Credential' {
        (Get-ImageDigest -Reference $BasicRef -Credential $Alice).Digest | Should -Be $Digest
    }

    It 'refuses anonymous access with RegistryAuthenticationFailed / AuthenticationError' {
        $result = Get-ImageDigest -Reference $BasicRef -ErrorVariable failures -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        Get-ErrorId $failures[0] | Should -Be 'RegistryAuthenticationFailed'
        $failures[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $failures[0].Exception.Message | Should -Match 'no credentials were found'
    }

    It 'reports a wrong password as AuthenticationError naming the user, not the password' {
        $wrong = 'wrong-' + [guid]::NewGuid().ToString('N')
        $null = Get-ImageDigest -Reference $BasicRef -Credential (New-TestCredential 'alice' $wrong) -ErrorVariable failures -ErrorAction SilentlyContinue
        Get-ErrorId $failures[0] | Should -Be 'RegistryAuthenticationFailed'
        $failures[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $failures[0].Exception.Message | Should -Match "'alice'"
        $failures[0].Exception.ToString() | Should -Not -Match $wrong
    }

    It 'reads auths from $env:DOCKER_CONFIG/config.json (<Key>)' -ForEach @(
        @{ Key = 'host' }, @{ Key = 'https://host' }, @{ Key = 'https://host/v1/' }
    ) {
        $name = $Key.Replace('host', $Basic.Address)
        Set-DockerConfig ('{"auths":{"' + $name + '":{"auth":"' + (ConvertTo-Base64 "alice:$Password") + '"}}}')
        (Get-ImageDigest -Reference $BasicRef).Digest | Should -Be $Digest
    }

    It 'lets -Credential win over the Docker config' {
        Set-DockerConfig ('{"auths":{"' + $Basic.Address + '":{"auth":"' + (ConvertTo-Base64 'alice:not-the-password') + '"}}}')
        $null = Get-ImageDigest -Reference $BasicRef -ErrorVariable failures -ErrorAction SilentlyContinue
        Get-ErrorId $failures[0] | Should -Be 'RegistryAuthenticationFailed'
        (Get-ImageDigest -Reference $BasicRef -Credential $Alice).Digest | Should -Be $Digest
    }

    It 'runs the credential helper named in credHelpers, once per call' {
        Remove-Item $HelperCalls -ErrorAction SilentlyContinue
        Set-DockerConfig ('{"credHelpers":{"' + $Basic.Address + '":"dttest"}}')
        $results = Get-ImageDigest -Reference $BasicRef, $BasicRef, $BasicRef
        $results.Digest | Should -Be @($Digest, $Digest, $Digest)
        Get-Content $HelperCalls | Should -Be @("get $($Basic.Address)")
    }

    It 'reports a missing credential helper as RegistryCredentialHelperFailed' {
        Set-DockerConfig '{"credsStore":"dt-no-such-helper"}'
        $null = Get-ImageDigest -Reference $BasicRef -ErrorVariable failures -ErrorAction SilentlyContinue
        Get-ErrorId $failures[0] | Should -Be 'RegistryCredentialHelperFailed'
        $failures[0].Exception.Message | Should -Match 'docker-credential-dt-no-such-helper'
    }
}

Describe 'Token authentication (token server)' -Tag Auth {
    BeforeEach {
        Set-DockerConfig '{}'
        $Tokens.ResetCounters()
        $Tokens.ExpiredTokensToIssue = 0
        $Tokens.TokenLifetimeSeconds = 300
    }

    It 'denies anonymous access with PermissionDenied' {
        $null = Get-ImageDigest -Reference $TokenRef -ErrorVariable failures -ErrorAction SilentlyContinue
        Get-ErrorId $failures[0] | Should -Be 'RegistryAccessDenied'
        $failures[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
    }

    It 'grants access with credentials' {
        (Get-ImageDigest -Reference $TokenRef -Credential $Alice).Digest | Should -Be $Digest
        @($Tokens.Requests | Where-Object { $_.User -eq 'alice' -and $_.Issued }).Count | Should -BeGreaterThan 0
    }

    It 'costs the same token requests for 20 references of one repository as for one' {
        $null = Get-ImageDigest -Reference $TokenRef -Credential $Alice
        $forOne = $Tokens.RequestCount
        $Tokens.ResetCounters()
        $results = Get-ImageDigest -Reference (@($TokenRef) * 20) -Credential $Alice
        $results.Count | Should -Be 20
        $results.Digest | Select-Object -Unique | Should -Be $Digest
        $Tokens.RequestCount | Should -Be $forOne
        $forOne | Should -Be 1               # the /v2/ check costs no token, the repository one
    }

    It 'reports insufficient scope as PermissionDenied and resolves what the user may pull' {
        $results = Get-ImageDigest -Reference $TokenRef, $OtherRef -Credential $Bob -ErrorVariable failures -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 1
        $results.Digest | Should -Be $Digest
        $failures.Count | Should -Be 1
        Get-ErrorId $failures[0] | Should -Be 'RegistryAccessDenied'
        $failures[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $failures[0].Exception.Message | Should -Match 'auth/busybox'
    }

    It 'uses an identity token from config.json as an OAuth refresh token' {
        $refresh = 'refresh-' + [guid]::NewGuid().ToString('N')
        $Tokens.AddRefreshToken($refresh, 'alice')
        Set-DockerConfig ('{"auths":{"https://' + $TokenRegistry.Address + '/v1/":{"identitytoken":"' + $refresh + '"}}}')
        (Get-ImageDigest -Reference $TokenRef).Digest | Should -Be $Digest
        $request = @($Tokens.Requests)
        $request.Count | Should -Be 1
        $request[0].GrantType | Should -Be 'refresh_token'
        $request[0].User | Should -Be 'alice'
    }

    It 'fails a wrong password without a retry storm' {
        $null = Get-ImageDigest -Reference (@($TokenRef) * 10) -Credential (New-TestCredential 'alice' 'wrong') -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 10
        $failures | ForEach-Object { Get-ErrorId $_ } | Select-Object -Unique | Should -Be 'RegistryAuthenticationFailed'
        $failures[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $Tokens.RequestCount | Should -Be 1   # a refused password is not asked again within the call
    }
}

Describe 'Resilience behind the fault proxy' -Tag Auth {
    BeforeAll {
        $script:Proxy = Start-FaultProxy -Upstream $Environment.Registry
        $script:ProxiedRef = $Fixture.Reference.Replace($Environment.Registry, $Proxy.Address)
    }
    AfterAll {
        if ($Proxy) { Stop-FaultProxy $Proxy }
    }
    BeforeEach {
        Set-DockerConfig '{}'
        Clear-FaultRule $Proxy
        Clear-ProxyRequest $Proxy
    }

    It 'retries 503 twice and succeeds with exactly three manifest requests' {
        $null = Set-FaultRule $Proxy -Path '/manifests/' -Action status -Status 503 -Times 2
        (Get-ImageDigest -Reference $ProxiedRef).Digest | Should -Be $Fixture.Digest
        @(Get-ProxyRequest $Proxy -Path '/manifests/').Count | Should -Be 3
    }

    It 'waits as long as Retry-After asks after a 429' {
        $null = Set-FaultRule $Proxy -Path '/manifests/' -Action status -Status 429 -RetryAfter '1' -Times 1
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        (Get-ImageDigest -Reference $ProxiedRef).Digest | Should -Be $Fixture.Digest
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1   # correctness: not back before allowed
        @(Get-ProxyRequest $Proxy -Path '/manifests/').Count | Should -Be 2
    }

    It 'does not retry a 404' {
        $null = Set-FaultRule $Proxy -Path '/manifests/' -Action status -Status 404 -Body '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}'
        $null = Get-ImageDigest -Reference $ProxiedRef -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        @(Get-ProxyRequest $Proxy -Path '/manifests/' | Where-Object method -eq 'HEAD').Count | Should -Be 1
    }

    It 'retries a connection dropped mid-body' {
        # Without Docker-Content-Digest on HEAD the client GETs the manifest; the first GET body is cut.
        $null = Set-FaultRule $Proxy -Path '/manifests/' -Method HEAD -Action drop-header -Header 'Docker-Content-Digest'
        $null = Set-FaultRule $Proxy -Path '/manifests/' -Method GET -Action drop-connection -Bytes 10 -Times 1
        (Get-ImageDigest -Reference $ProxiedRef).Digest | Should -Be $Fixture.Digest
        @(Get-ProxyRequest $Proxy -Path '/manifests/' | Where-Object method -eq 'GET').Count | Should -Be 2
    }

    It 'reports RegistryUnreachable naming the host when every body is cut' {
        $null = Set-FaultRule $Proxy -Path '/manifests/' -Method HEAD -Action drop-header -Header 'Docker-Content-Digest'
        $null = Set-FaultRule $Proxy -Path '/manifests/' -Method GET -Action drop-connection -Bytes 10
        $null = Get-ImageDigest -Reference $ProxiedRef -ErrorVariable failures -ErrorAction SilentlyContinue
        Get-ErrorId $failures[0] | Should -Be 'RegistryUnreachable'
        $failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $failures[0].Exception.Message | Should -Match ([regex]::Escape($Proxy.Address))
    }

    It 'reports RegistryTimeout for an answer slower than -TimeoutSec' {
        $null = Set-FaultRule $Proxy -Path '/manifests/' -Action delay -DelayMs 4000
        $null = Get-ImageDigest -Reference $ProxiedRef -TimeoutSec 1 -ErrorVariable failures -ErrorAction SilentlyContinue
        Get-ErrorId $failures[0] | Should -Be 'RegistryTimeout'
        $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
    }

    It 'never sends Authorization to the other host of a redirect' {
        $basicProxy = Start-FaultProxy -Upstream $Basic.Address
        $echo = Start-EchoServer
        try {
            # HEAD meets the challenge and answers without a digest, so the client GETs the manifest with
            # credentials attached; that GET is redirected to another host (port) that must see none.
            $null = Set-FaultRule $basicProxy -Path '/manifests/' -Method HEAD -Action drop-header -Header 'Docker-Content-Digest'
            $null = Set-FaultRule $basicProxy -Path '/manifests/' -Method GET -Action redirect -Location "http://$($echo.Address)/{path}"
            $reference = "$($basicProxy.Address)/auth/busybox:v1"
            $null = Get-ImageDigest -Reference $reference -Credential $Alice -ErrorAction SilentlyContinue
            $atRegistry = @(Get-ProxyRequest $basicProxy -Path '/manifests/')
            $atRegistry.Count | Should -BeGreaterThan 0
            @($atRegistry | Where-Object { $_.method -eq 'GET' -and $_.hasAuthorization }).Count | Should -BeGreaterThan 0   # credentials went to the registry
            $atEcho = @(Get-ProxyRequest $echo)
            $atEcho.Count | Should -BeGreaterThan 0                                         # the redirect was followed
            @($atEcho | Where-Object hasAuthorization).Count | Should -Be 0
        }
        finally {
            Stop-FaultProxy $echo
            Stop-FaultProxy $basicProxy
        }
    }
}

Describe 'Secrets stay secret' -Tag Auth {
    It 'never shows a password, its base64 form or a token in any stream, output or error' {
        $Tokens.ResetCounters()
        $wrong = 'wrong-' + [guid]::NewGuid().ToString('N')
        $wrongAlice = New-TestCredential 'alice' $wrong
        $refresh = 'refresh-' + [guid]::NewGuid().ToString('N')
        $Tokens.AddRefreshToken($refresh, 'alice')
        $captured = [System.Collections.Generic.List[string]]::new()
        $runs = @(
            @{ Reference = $BasicRef; Credential = $Alice; Config = '{}' }
            @{ Reference = $BasicRef; Credential = $wrongAlice; Config = '{}' }
            @{ Reference = $BasicRef; Credential = $null; Config = ('{"auths":{"' + $Basic.Address + '":{"auth":"' + (ConvertTo-Base64 "alice:$Password") + '"}}}') }
            @{ Reference = $BasicRef; Credential = $null; Config = ('{"credHelpers":{"' + $Basic.Address + '":"dttest"}}') }
            @{ Reference = $TokenRef; Credential = $Alice; Config = '{}' }
            @{ Reference = $TokenRef; Credential = $wrongAlice; Config = '{}' }
            @{ Reference = $TokenRef; Credential = $Bob; Config = '{}' }
            @{ Reference = $TokenRef; Credential = $null; Config = '{}' }
            @{ Reference = $TokenRef; Credential = $null; Config = ('{"auths":{"' + $TokenRegistry.Address + '":{"identitytoken":"' + $refresh + '"}}}') }
        )
        foreach ($run in $runs) {
            Set-DockerConfig $run.Config
            $parameters = @{ Reference = @($run.Reference, $run.Reference); Verbose = $true; Debug = $true; ErrorAction = 'Continue' }
            if ($run.Credential) { $parameters.Credential = $run.Credential }
            $records = & { Get-ImageDigest @parameters } *>&1
            foreach ($text in $records | Get-RecordText) { $captured.Add($text) }
        }
        $text = $captured -join "`n"
        $text | Should -Match 'alice'                # the capture holds the auth story
        $text | Should -Match $Digest
        $secrets = @($Password, $BobPassword, $wrong, $refresh,
            (ConvertTo-Base64 "alice:$Password"), (ConvertTo-Base64 "alice:$wrong"), (ConvertTo-Base64 "bob:$BobPassword"))
        $issued = @($Tokens.IssuedTokens)
        $issued.Count | Should -BeGreaterThan 0
        $secrets += $issued | ForEach-Object { $_.Split('.')[2] }
        foreach ($secret in $secrets) {
            $text.Contains($secret) | Should -BeFalse -Because 'no secret may appear in any stream'
        }
    }
}
