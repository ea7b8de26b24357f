package dev.resilience.sample.partner;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * The partner's HTTP API: {@code GET /partner/offers/hot} answers a hot offer (or misbehaves as the chaos
 * says); {@code GET|PUT|DELETE /partner/chaos} read, set and lift the chaos.
 */
@RestController
@RequestMapping("/partner")
public class PartnerController {

    private static final String PARTNER = "Acme Deals";
    private static final List<String> OFFERS = List.of(
            "40% off noise-cancelling headphones",
            "2-for-1 tickets for tonight's concert",
            "free upgrade to next-day delivery");

    private final PartnerChaos chaos;

    public PartnerController(PartnerChaos chaos) {
        this.chaos = chaos;
    }

    @GetMapping("/offers/hot")
    public ResponseEntity<?> hotOffer() throws InterruptedException {
        int status = chaos.play();
        if (status != PartnerChaos.OK) {
            HttpStatusCode code = HttpStatusCode.valueOf(status);
            return ResponseEntity.status(code)
                    .body(ProblemDetail.forStatusAndDetail(code, "the partner fails on purpose (chaos)"));
        }
        String offer = OFFERS.get((int) (chaos.receivedCalls() % OFFERS.size()));
        return ResponseEntity.ok(new HotOffer(offer, PARTNER));
    }

    @GetMapping("/chaos")
    public ChaosView chaos() {
        return view();
    }

    @PutMapping("/chaos")
    public ChaosView setChaos(@RequestBody Map<String, Object> body) {
        chaos.set(ChaosRequest.parse(body));
        return view();
    }

    @DeleteMapping("/chaos")
    public ChaosView heal() {
        chaos.heal();
        return view();
    }

    @ExceptionHandler(InvalidChaosException.class)
    public ProblemDetail invalidChaos(InvalidChaosException invalid) {
        return badChaos(invalid.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ProblemDetail unreadableChaos(HttpMessageNotReadableException unreadable) {
        return badChaos("the chaos must be a JSON object such as "
                + "{\"failureRate\": 1.0, \"status\": 500, \"latency\": \"3s\"}");
    }

    private static ProblemDetail badChaos(String reason) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, reason);
        problem.setTitle("Invalid chaos");
        return problem;
    }

    private ChaosView view() {
        return ChaosView.of(chaos.current(), chaos.receivedCalls(), chaos.concurrentCalls());
    }
}
