# The images the benchmarks use, built without an engine (umoci) and pushed with skopeo; extra tags are
# PUT with curl (the same manifest under many tags), which takes one process per repository.

$script:ManifestAccept = 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'

function Invoke-BenchNative {
    # Runs a native command, returns its stdout lines, throws with its stderr on a non-zero exit.
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList)
    $errorFile = [System.IO.Path]::GetTempFileName()
    try {
        $output = & $FilePath @ArgumentList 2>$errorFile
        if ($LASTEXITCODE -ne 0) { throw "$FilePath $($ArgumentList -join ' ') exited with ${LASTEXITCODE}: $(Get-Content -Raw $errorFile)" }
        $output
    }
    finally { Remove-Item $errorFile -ErrorAction SilentlyContinue }
}

function New-BenchLayout {
    <#
    .SYNOPSIS
        An OCI layout with 'small' (busybox, one layer) and 'large' (busybox + N layers of random bytes:
        random data does not compress, so the pull moves about LayerCount x LayerMegabytes MB).
    #>
    param([string] $Directory, [int] $LayerCount, [int] $LayerMegabytes)
    New-Item -ItemType Directory -Force -Path $Directory | Out-Null
    Push-Location $Directory
    try {
        Invoke-BenchNative umoci @('init', '--layout', 'oci') | Out-Null
        Invoke-BenchNative umoci @('new', '--image', 'oci:base') | Out-Null
        Invoke-BenchNative umoci @('unpack', '--image', 'oci:base', 'bundle') | Out-Null
        New-Item -ItemType Directory -Force -Path bundle/rootfs/bin | Out-Null
        Copy-Item /bin/busybox bundle/rootfs/bin/busybox
        foreach ($applet in 'sh', 'true', 'sleep') { & ln -sf busybox "bundle/rootfs/bin/$applet" }
        # --refresh-bundle: the next repack records only what changed since this one, i.e. one new layer.
        Invoke-BenchNative umoci @('repack', '--refresh-bundle', '--image', 'oci:small', 'bundle') | Out-Null
        Invoke-BenchNative umoci @('config', '--image', 'oci:small', '--config.cmd', '/bin/true', '--config.env', 'PATH=/bin', '--architecture', 'amd64', '--os', 'linux') | Out-Null
        $tag = 'small'
        for ($i = 1; $i -le $LayerCount; $i++) {
            New-Item -ItemType Directory -Force -Path bundle/rootfs/data | Out-Null
            Invoke-BenchNative dd @('if=/dev/urandom', "of=bundle/rootfs/data/layer$i.bin", 'bs=1M', "count=$LayerMegabytes", 'status=none') | Out-Null
            Invoke-BenchNative umoci @('repack', '--refresh-bundle', '--image', "oci:large", 'bundle') | Out-Null
        }
        Invoke-BenchNative umoci @('config', '--image', 'oci:large', '--config.cmd', '/bin/true', '--config.env', 'PATH=/bin', '--architecture', 'amd64', '--os', 'linux') | Out-Null
    }
    finally { Pop-Location }
}

function Publish-BenchImage {
    <#
    .SYNOPSIS
        Pushes the layout's images: 'small' to every bench repository under TagCount tags, 'large' to bench/large.
    .OUTPUTS
        SmallDigest, LargeDigest, LargeReference (pinned), LargeBytes, Repositories, TagCount.
    #>
    param([string] $Registry, [string] $LayoutDirectory, [int] $RepositoryCount, [int] $TagCount)
    $layout = Join-Path $LayoutDirectory 'oci'
    $repositories = foreach ($r in 0..($RepositoryCount - 1)) { 'bench/repo{0:d2}' -f $r }
    foreach ($repository in $repositories) {
        Invoke-BenchNative skopeo @('--insecure-policy', 'copy', '--quiet', '--dest-tls-verify=false', '--dest-no-creds', "oci:${layout}:small", "docker://$Registry/${repository}:seed") | Out-Null
    }
    $manifestFile = Join-Path $LayoutDirectory 'small-manifest.json'
    $head = Invoke-BenchNative curl @('-sS', '-f', '-H', "Accept: $script:ManifestAccept", '-o', $manifestFile, '-D', '-', "http://$Registry/v2/$($repositories[0])/manifests/seed")
    $smallDigest = ($head | Where-Object { $_ -match '^Docker-Content-Digest:\s*(\S+)' } | ForEach-Object { $Matches[1] } | Select-Object -First 1)
    # The manifest body need not name its media type (skopeo's OCI manifests do not): take the header.
    $mediaType = ($head | Where-Object { $_ -match '^Content-Type:\s*(\S+)' } | ForEach-Object { $Matches[1] } | Select-Object -First 1)

    # One curl process PUTs the same manifest under every tag of every repository, a few requests at a time
    # (the registry spends about 12 ms on each PUT: one at a time, 2,000 tags took 25 s here).
    $config = Join-Path $LayoutDirectory 'put-tags.curl'
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.AddRange([string[]]@('silent', 'show-error', 'fail', 'parallel', 'parallel-max = 8', "header = `"Content-Type: $mediaType`""))
    foreach ($repository in $repositories) {
        for ($t = 0; $t -lt $TagCount; $t++) {
            $lines.Add(('url = "http://{0}/v2/{1}/manifests/t{2:d3}"' -f $Registry, $repository, $t))
            # upload-file and output belong to one URL each, like -T and -o on the command line.
            $lines.Add("upload-file = `"$manifestFile`"")
            $lines.Add('output = "/dev/null"')
        }
    }
    Set-Content -Path $config -Value $lines
    Invoke-BenchNative curl @('-K', $config) | Out-Null

    $digestFile = Join-Path $LayoutDirectory 'large.digest'
    Invoke-BenchNative skopeo @('--insecure-policy', 'copy', '--quiet', '--dest-tls-verify=false', '--dest-no-creds', '--digestfile', $digestFile, "oci:${layout}:large", "docker://$Registry/bench/large:v1") | Out-Null
    $largeDigest = (Get-Content -Raw $digestFile).Trim()
    $largeManifest = Invoke-BenchNative curl @('-sS', '-f', '-H', "Accept: $script:ManifestAccept", "http://$Registry/v2/bench/large/manifests/$largeDigest") | ConvertFrom-Json
    [pscustomobject]@{
        SmallDigest    = $smallDigest
        SmallReference = "$Registry/$($repositories[0])@$smallDigest"
        LargeDigest    = $largeDigest
        LargeReference = "$Registry/bench/large@$largeDigest"
        LargeLayers    = @($largeManifest.layers).Count
        LargeBytes     = [long](@($largeManifest.layers | ForEach-Object { [long]$_.size }) | Measure-Object -Sum).Sum
        Repositories   = $repositories
        TagCount       = $TagCount
    }
}

function Get-BenchReference([string] $Registry, [string[]] $Repositories, [int] $TagsPerRepository) {
    # Repository-major order: repo00:t000..t009, repo01:t000...
    foreach ($repository in $Repositories) { for ($t = 0; $t -lt $TagsPerRepository; $t++) { '{0}/{1}:t{2:d3}' -f $Registry, $repository, $t } }
}
