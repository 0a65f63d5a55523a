# Get-ImageDigest -Local against real dockerd 20.10 and Podman 4.3: the rows of `docker images --digests`, as objects.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'EngineTestSupport.psm1')
    $engines = Get-EngineTestCase
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'EngineTestSetup.ps1') -Purpose engine-local
    # The same image (one config) as an OCI manifest and as a Docker v2 manifest: two digests, one image id.
    Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "$Prefix/busybox:v1"
    Copy-TestImage -Source $TestEnv.Fixtures.Docker.Reference -Destination "$Prefix/busybox:v1-docker"
    $script:OciDigest = Get-SkopeoDigest "$Prefix/busybox:v1"
    $script:DockerDigest = Get-SkopeoDigest "$Prefix/busybox:v1-docker"

    function ConvertTo-CliRow {
        # A row as `docker images --digests --format` prints it: <none> for what is missing, a 12-digit id.
        param([Parameter(ValueFromPipeline)] $Row)
        process {
            $id = ($Row.ImageId -replace '^sha256:', '').Substring(0, 12)
            '{0}|{1}|{2}|{3}' -f ($Row.Repository ?? '<none>'), ($Row.Tag ?? '<none>'), ($Row.Digest ?? '<none>'), $id
        }
    }
}

Describe 'Get-ImageDigest -Local on <Engine>' -Tag Engine -ForEach $engines {
    BeforeAll {
        Invoke-ImagePull "$Prefix/busybox:v1" -EngineUri $EngineUri | Out-Null
        Invoke-ImagePull "$Prefix/busybox@$DockerDigest" -EngineUri $EngineUri | Out-Null
    }
    AfterAll {
        Remove-EngineTestArtifact -EngineUri $EngineUri -RunId $Run -RepositoryPrefix $Prefix
    }

    It 'gives with -All exactly the rows of docker images --digests' {
        $ours = Get-ImageDigest -Local -All -EngineUri $EngineUri | ConvertTo-CliRow | Sort-Object
        $cli = Invoke-DockerCli $EngineUri images --digests --format '{{.Repository}}|{{.Tag}}|{{.Digest}}|{{.ID}}' | Sort-Object
        $ours | Should -Be $cli
        $ours | Should -Contain (@{ Repository = "$Prefix/busybox"; Tag = 'v1'; Digest = $DockerDigest; ImageId = (Invoke-DockerCli $EngineUri image inspect --format '{{.Id}}' "$Prefix/busybox:v1") } | ConvertTo-CliRow)
    }

    It 'accumulates digests: -All has a row per digest, the default one row per repository and tag' {
        $all = Get-ImageDigest -Local -All "$Prefix/busybox:v1" -EngineUri $EngineUri
        $all.Digest | Sort-Object | Should -Be (@($OciDigest, $DockerDigest) | Sort-Object)
        $default = Get-ImageDigest -Local "$Prefix/busybox:v1" -EngineUri $EngineUri
        @($default).Count | Should -Be 1
        $default | Should -BeOfType DigestTools.LocalImageDigest
        $default.Digest | Should -BeIn $OciDigest, $DockerDigest
        $default.Digests | Sort-Object | Should -Be (@($OciDigest, $DockerDigest) | Sort-Object)
        $default.PinnedReference | Should -Be "$Prefix/busybox@$($default.Digest)"
        $default.HasRegistryDigest | Should -BeTrue
    }

    It 'filters with wildcards on repository, repository:tag and repository@digest' {
        $rows = Get-ImageDigest -Local -All -Filter "*engine-local-$Run/*" -EngineUri $EngineUri
        $rows.Repository | Sort-Object -Unique | Should -Be "$Prefix/busybox"
        (Get-ImageDigest -Local -All "*@$DockerDigest" -EngineUri $EngineUri | Where-Object Repository -like "*$Run*").Digest | Should -Be $DockerDigest
        Get-ImageDigest -Local "*no-such-repository-$Run*" -EngineUri $EngineUri | Should -BeNullOrEmpty
    }

    It 'pipes its rows into Invoke-ImagePull by property name (PinnedReference)' {
        $row = Get-ImageDigest -Local "$Prefix/busybox:v1" -EngineUri $EngineUri
        ($row | Invoke-ImagePull -EngineUri $EngineUri).Digest | Should -Be $row.Digest
    }

    # Podman gives committed and built images a digest of their local manifest, so they cannot be told apart.
    It 'marks an image that never came from a registry: no digest, NoRegistryDigest' -Skip:($Engine -eq 'Podman') {
        $container = New-PinnedContainer "$Prefix/busybox@$OciDigest" -Network none -Label @{ 'dt-test' = $Run } -EngineUri $EngineUri
        Invoke-DockerCli $EngineUri commit $container.Id "$Prefix/built-here:dev" | Out-Null
        $row = Get-ImageDigest -Local "$Prefix/built-here:dev" -EngineUri $EngineUri
        $row.Digest | Should -BeNullOrEmpty
        $row.HasRegistryDigest | Should -BeFalse
        $row.Status | Should -Be 'NoRegistryDigest'
        $row.PinnedReference | Should -BeNullOrEmpty
        # And it is still exactly what the CLI shows.
        (Get-ImageDigest -Local -All -EngineUri $EngineUri | ConvertTo-CliRow | Sort-Object) |
            Should -Be (Invoke-DockerCli $EngineUri images --digests --format '{{.Repository}}|{{.Tag}}|{{.Digest}}|{{.ID}}' | Sort-Object)
    }
}

Describe 'Get-ImageDigest -Local with no engine' -Tag Engine {
    It 'stops with EngineUnreachable naming the address tried' {
        $address = "unix://$($TestEnv.StateDir)/no-engine-$Run.sock"
        { Get-ImageDigest -Local -EngineUri $address -ErrorAction Stop } | Should -Throw -ErrorId 'EngineUnreachable,*' -ExpectedMessage "*$address*"
    }
}
