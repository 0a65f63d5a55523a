# Fixture images built without an engine: umoci makes a busybox layer, the configs, manifests and
# indexes are written here as plain OCI layout blobs, skopeo pushes them. Every digest the tests get
# comes back from skopeo (copy --digestfile, inspect --raw hashed, inspect .Digest) and must agree.

function Write-LayoutBlob {
    # Stores bytes as a content-addressed blob and returns its OCI descriptor.
    param([Parameter(Mandatory)] [string] $Layout, [Parameter(Mandatory)] [byte[]] $Bytes, [Parameter(Mandatory)] [string] $MediaType)
    $hex = [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($Bytes)).ToLowerInvariant()
    [System.IO.File]::WriteAllBytes((Join-Path $Layout "blobs/sha256/$hex"), $Bytes)
    [ordered]@{ mediaType = $MediaType; digest = "sha256:$hex"; size = $Bytes.LongLength }
}

function Write-LayoutJson([string] $Layout, [object] $Value, [string] $MediaType) {
    Write-LayoutBlob -Layout $Layout -MediaType $MediaType -Bytes ([System.Text.Encoding]::UTF8.GetBytes(($Value | ConvertTo-Json -Depth 20 -Compress)))
}

function Read-LayoutBlob([string] $Layout, [string] $Digest) {
    Get-Content -Raw (Join-Path $Layout ("blobs/sha256/" + $Digest.Substring(7))) | ConvertFrom-Json -AsHashtable
}

function Invoke-Umoci([string[]] $Arguments) {
    $r = Invoke-NativeCapture -FilePath 'umoci' -ArgumentList $Arguments
    if ($r.ExitCode -ne 0) { throw "umoci $($Arguments -join ' ') failed: $($r.StandardError.Trim())" }
}

function New-FixtureLayout {
    <#
    Builds the OCI layout with tags: hello (amd64, echo hello), alt (amd64, echo alt), arm64 (arm64/v8),
    multi (index: amd64 + arm64/v8 + a buildx-style attestation), multi-plain (index: amd64 + arm64/v8),
    and, for long-running services, sleep (amd64, sleeps an hour) and exit3 (amd64, exits 3 at once);
    two-forms (amd64, echo two forms) is a config no other fixture shares, for tests that push one image as
    both an OCI and a Docker manifest: Podman then lists every digest of that image under each of its names,
    which must not leak into the images other tests pull; many-names (amd64, echo many names) likewise, for the
    tests that push one image as OCI to one repository and as Docker to another (Podman's name x digest lists).
    #>
    param([Parameter(Mandatory)] [string] $Directory)
    $layout = Join-Path $Directory 'oci'
    $bundle = Join-Path $Directory 'bundle'
    Invoke-Umoci @('init', '--layout', $layout)
    Invoke-Umoci @('new', '--image', "${layout}:base")
    $rootless = if ((& id -u) -ne '0') { @('--rootless') } else { @() }
    Invoke-Umoci (@('unpack') + $rootless + @('--image', "${layout}:base", $bundle))
    $bin = Join-Path $bundle 'rootfs/bin'
    New-Item -ItemType Directory -Force -Path $bin | Out-Null
    Copy-Item '/bin/busybox' (Join-Path $bin 'busybox')
    foreach ($applet in 'sh', 'echo', 'sleep', 'cat', 'ls', 'true', 'env') {
        New-Item -ItemType SymbolicLink -Path (Join-Path $bin $applet) -Target 'busybox' | Out-Null
    }
    Invoke-Umoci (@('repack') + @('--image', "${layout}:rootfs", $bundle))
    Remove-Item -Recurse -Force $bundle

    $index = Get-Content -Raw (Join-Path $layout 'index.json') | ConvertFrom-Json -AsHashtable
    $rootfsDescriptor = $index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'rootfs' }
    $rootfsManifest = Read-LayoutBlob $layout $rootfsDescriptor.digest
    $layers = $rootfsManifest.layers
    $baseConfig = Read-LayoutBlob $layout $rootfsManifest.config.digest

    $tags = [ordered]@{}
    function New-Image([string] $Architecture, [string] $Variant, [string] $Message, [string[]] $Command) {
        $config = $baseConfig | ConvertTo-Json -Depth 20 | ConvertFrom-Json -AsHashtable   # a deep copy
        $config.architecture = $Architecture
        $config.os = 'linux'
        if ($Variant) { $config.variant = $Variant } else { $config.Remove('variant') }
        if (-not $config.ContainsKey('config') -or -not $config.config) { $config.config = @{} }
        $config.config.Env = @('PATH=/bin')
        $config.config.Cmd = if ($Command) { $Command } else { @('/bin/sh', '-c', "echo $Message") }
        $configDescriptor = Write-LayoutJson $layout $config $MediaTypes.OciConfig
        $manifest = [ordered]@{ schemaVersion = 2; mediaType = $MediaTypes.OciManifest; config = $configDescriptor; layers = $layers }
        Write-LayoutJson $layout $manifest $MediaTypes.OciManifest
    }
    $amd64 = New-Image 'amd64' $null 'hello'
    $alt = New-Image 'amd64' $null 'alt'
    $arm64 = New-Image 'arm64' 'v8' 'hello'
    $sleep = New-Image 'amd64' $null $null @('/bin/sleep', '3600')
    $exit3 = New-Image 'amd64' $null $null @('/bin/sh', '-c', 'exit 3')
    $twoForms = New-Image 'amd64' $null 'two forms'
    $manyNames = New-Image 'amd64' $null 'many names'

    # What buildx attaches: an in-toto statement as the only layer, platform unknown/unknown in the
    # index, pointing at the image it describes.
    $statement = [ordered]@{
        _type         = 'https://in-toto.io/Statement/v0.1'
        predicateType = 'https://slsa.dev/provenance/v0.2'
        subject       = @([ordered]@{ name = 'fixtures/multi'; digest = @{ sha256 = $amd64.digest.Substring(7) } })
        predicate     = [ordered]@{ builder = @{ id = 'digesttools-test-fixtures' } }
    }
    $statementDescriptor = Write-LayoutJson $layout $statement $MediaTypes.InToto
    $statementDescriptor.annotations = @{ 'in-toto.io/predicate-type' = 'https://slsa.dev/provenance/v0.2' }
    $attestationConfig = [ordered]@{ architecture = 'unknown'; os = 'unknown'; config = @{}; rootfs = [ordered]@{ type = 'layers'; diff_ids = @($statementDescriptor.digest) } }
    $attestationConfigDescriptor = Write-LayoutJson $layout $attestationConfig $MediaTypes.OciConfig
    $attestation = Write-LayoutJson $layout ([ordered]@{ schemaVersion = 2; mediaType = $MediaTypes.OciManifest; config = $attestationConfigDescriptor; layers = @($statementDescriptor) }) $MediaTypes.OciManifest

    function With-Platform($Descriptor, [hashtable] $Platform, [hashtable] $Annotations) {
        $d = [ordered]@{ mediaType = $Descriptor.mediaType; digest = $Descriptor.digest; size = $Descriptor.size }
        if ($Annotations) { $d.annotations = $Annotations }
        $d.platform = $Platform
        $d
    }
    $amd64Entry = With-Platform $amd64 ([ordered]@{ architecture = 'amd64'; os = 'linux' })
    $arm64Entry = With-Platform $arm64 ([ordered]@{ architecture = 'arm64'; os = 'linux'; variant = 'v8' })
    $attestationEntry = With-Platform $attestation ([ordered]@{ architecture = 'unknown'; os = 'unknown' }) ([ordered]@{
            'vnd.docker.reference.digest' = $amd64.digest
            'vnd.docker.reference.type'   = 'attestation-manifest'
        })
    $multi = Write-LayoutJson $layout ([ordered]@{ schemaVersion = 2; mediaType = $MediaTypes.OciIndex; manifests = @($amd64Entry, $arm64Entry, $attestationEntry) }) $MediaTypes.OciIndex
    $multiPlain = Write-LayoutJson $layout ([ordered]@{ schemaVersion = 2; mediaType = $MediaTypes.OciIndex; manifests = @($amd64Entry, $arm64Entry) }) $MediaTypes.OciIndex

    $tagged = [ordered]@{ hello = $amd64; alt = $alt; arm64 = $arm64; multi = $multi; 'multi-plain' = $multiPlain; sleep = $sleep; exit3 = $exit3; 'two-forms' = $twoForms; 'many-names' = $manyNames }
    $entries = [System.Collections.Generic.List[object]]::new()
    foreach ($e in $index.manifests) { if ($e.annotations.'org.opencontainers.image.ref.name' -notin $tagged.Keys) { $entries.Add($e) } }
    foreach ($name in $tagged.Keys) {
        $d = [ordered]@{ mediaType = $tagged[$name].mediaType; digest = $tagged[$name].digest; size = $tagged[$name].size; annotations = @{ 'org.opencontainers.image.ref.name' = $name } }
        $entries.Add($d)
    }
    $index.manifests = $entries.ToArray()
    Set-Content -Path (Join-Path $layout 'index.json') -Value ($index | ConvertTo-Json -Depth 20 -Compress) -NoNewline
    [pscustomobject]@{ Path = $layout; Tags = @($tagged.Keys) }
}

function Get-VerifiedFixture {
    # One fixture as the tests see it; throws unless skopeo's three views of the digest agree.
    param([string] $Reference, [string] $PushedDigest, [string] $ExpectedMediaType)
    $m = Get-SkopeoManifest -Reference $Reference
    if ($m.RawDigest -ne $m.InspectDigest -or $m.RawDigest -ne $PushedDigest) {
        throw "Fixture $Reference digests disagree: pushed $PushedDigest, raw $($m.RawDigest), inspect $($m.InspectDigest)"
    }
    if ($m.MediaType -ne $ExpectedMediaType) { throw "Fixture $Reference has media type $($m.MediaType), expected $ExpectedMediaType" }
    $manifest = $m.Raw | ConvertFrom-Json
    $fixture = [ordered]@{ Reference = $Reference; Digest = $m.RawDigest; MediaType = $m.MediaType }
    if ($manifest.PSObject.Properties['config']) { $fixture.ConfigDigest = $manifest.config.digest }
    if ($manifest.PSObject.Properties['manifests']) {
        $platforms = [ordered]@{}
        foreach ($child in $manifest.manifests) {
            $p = $child.platform
            if ($p.os -eq 'unknown') { $fixture.Attestation = $child.digest; continue }
            $key = "$($p.os)/$($p.architecture)" + $(if ($p.PSObject.Properties['variant'] -and $p.variant) { "/$($p.variant)" } else { '' })
            $platforms[$key] = $child.digest
        }
        $fixture.Platforms = $platforms
    }
    $fixture
}

function Publish-Fixture {
    param([Parameter(Mandatory)] [string] $StateDir, [Parameter(Mandatory)] [string] $Registry)
    $layout = New-FixtureLayout -Directory (Join-Path $StateDir 'fixtures')
    $source = "oci:$($layout.Path)"
    $plan = [ordered]@{
        Oci        = @{ Tag = 'hello'; Destination = "$Registry/$FixtureRepository`:oci"; Format = 'oci'; All = $false; MediaType = $MediaTypes.OciManifest }
        Docker     = @{ Tag = 'hello'; Destination = "$Registry/$FixtureRepository`:docker"; Format = 'v2s2'; All = $false; MediaType = $MediaTypes.DockerManifest }
        OciAlt     = @{ Tag = 'alt'; Destination = "$Registry/$FixtureRepository`:oci-alt"; Format = 'oci'; All = $false; MediaType = $MediaTypes.OciManifest }
        OciIndex   = @{ Tag = 'multi'; Destination = "$Registry/$MultiRepository`:oci-index"; Format = $null; All = $true; MediaType = $MediaTypes.OciIndex }
        DockerList = @{ Tag = 'multi-plain'; Destination = "$Registry/$MultiRepository`:docker-list"; Format = 'v2s2'; All = $true; MediaType = $MediaTypes.DockerList }
    }
    $fixtures = [ordered]@{}
    foreach ($name in $plan.Keys) {
        $step = $plan[$name]
        $copy = @{ Source = "${source}:$($step.Tag)"; Destination = $step.Destination; All = $step.All; PassThru = $true }
        if ($step.Format) { $copy.Format = $step.Format }
        # The OCI index must reach the registry byte for byte (attestation layers are not compressible).
        if (-not $step.Format) { $copy.PreserveDigests = $true }
        $pushed = Copy-TestImage @copy
        $fixtures[$name] = Get-VerifiedFixture -Reference $step.Destination -PushedDigest $pushed -ExpectedMediaType $step.MediaType
    }
    [pscustomobject]@{
        Layout   = [ordered]@{ Path = $layout.Path; Tags = $layout.Tags; Transport = "oci:$($layout.Path):<tag>" }
        Fixtures = $fixtures
    }
}
